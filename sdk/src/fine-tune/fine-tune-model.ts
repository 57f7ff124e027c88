import type { ClassificationMetrics } from '../calibration/evaluate-classification.js'
import { fitDeployment, type HeldOutFold, type LabelledFeatures } from '../deployment/fit-deployment.js'
import { InputError, ShapeError } from '../errors.js'
import type { EvaluationMetrics, Manifest } from '../format/manifest.js'
import { writeBundle } from '../format/write-bundle.js'
import type { HeadKernelName } from '../kernels/head-kernel.js'
import { assembleBundle } from '../model/assemble-bundle.js'
import type { ModelInput } from '../model/model-input.js'
import { labelIndices, fineTuneLabelSet } from './class-labels.js'
import { fineTuneBundleContents } from './fine-tune-bundle.js'
import { fineTuneDataHash } from './fine-tune-data-hash.js'
import type { FineTuneOptions } from './fine-tune-options.js'
import type { FineTuneParent } from './fine-tune-parent.js'
import { initialHead } from './initial-head.js'
import { parentMetrics } from './parent-metrics.js'
import { resolveFineTuneOptions } from './resolve-fine-tune-options.js'
import { foldExamples, splitExamples } from './seeded-order.js'
import { assertNotAborted, trainHead, type EpochRecord, type HeadTrainingResult } from './train-head.js'

/** Most examples one fine-tuning call takes. */
export const MAX_FINE_TUNE_EXAMPLES = 100_000

/** What `model.fineTune` returns: a new, loadable bundle and how it got there. */
export interface FineTuneResult {
  /** The new bundle file (format v1): load it with `loadModel`, store it, serve it. */
  readonly bundle: Uint8Array<ArrayBuffer>
  /** Its manifest (also inside `bundle`). */
  readonly manifest: Manifest
  /** Per-epoch training loss terms and accuracy. */
  readonly history: readonly EpochRecord[]
  /** Held-out metrics: the parent before (calibrated, over the new label set; null when not comparable) and the new model after re-calibration. */
  readonly metrics: { readonly before: ClassificationMetrics | null; readonly after: EvaluationMetrics }
  /**
   * How many examples trained the deployed head and how many calibrated it (T_cal, thresholds,
   * metrics). With cross-fitting (`folds` > 0) both are every example: each was scored by a fold
   * head that did not train on it.
   */
  readonly split: { readonly train: number; readonly heldOut: number; readonly folds: number }
  /** The gradient kernel that ran. */
  readonly kernel: HeadKernelName
}

/**
 * Fine-tunes a loaded model's head at the edge (the implementation of `SdModel.fineTune`):
 * 1. validates options and labels, runs the frozen backbone once per example;
 * 2. starts from the parent's head (new classes imprinted from their class means, `initialHead`)
 *    and trains W, b on every example with the SD-Dropout loss and the analytic gradient (`trainHead`);
 * 3. cross-fits (default 5 folds, stratified, seeded): one more head per fold, trained the same way
 *    without that fold, scores it; with `folds: 0` a `validationFraction` of each class is held out
 *    instead and the deployed head never sees it;
 * 4. refits T_cal, every OOD threshold and the selective threshold on those out-of-fold (or held-out)
 *    predictions and the Mahalanobis statistics on the training examples (`fitDeployment`, at the
 *    parent's S and seed). With a few hundred examples, a 20% hold-out leaves too few items for a
 *    stable T_cal (measured: served ECE 5-8% on inverted digits); cross-fitting uses them all;
 * 5. writes a new bundle reusing the parent's backbone parts unchanged, its provenance naming the parent.
 * The model itself is never changed; an abort or error leaves nothing behind.
 *
 * @throws {OptionError} for bad options or an abort (option `signal`); {ShapeError} / {InputError}
 *   for mismatched lengths, unknown labels, an empty set, NaN inputs, a new class without examples,
 *   or too few examples to hold any out; {KernelError} when a kernel fails.
 * @example
 * ```ts
 * const result = await fineTuneModel(parent, images, labels, { epochs: 20, classes: { mode: 'extend', labels: ['5'] } })
 * ```
 */
export async function fineTuneModel(parent: FineTuneParent, inputs: ModelInput, labels: readonly (number | string)[], options?: FineTuneOptions): Promise<FineTuneResult> {
  const m = parent.manifest
  const resolved = resolveFineTuneOptions(options, {
    name: m.name,
    dropoutRate: m.head.dropoutRate,
    targetAcceptance: m.ood.targetAcceptance,
    targetRisk: m.selective?.targetRisk ?? 0.01,
  })
  assertNotAborted(resolved.signal)
  const labelSet = fineTuneLabelSet(m.labels, resolved.classes)
  if (Array.isArray(labels) && labels.length === 0) throw new InputError('fine-tuning needs at least one labelled example; labels is empty')
  const classOf = labelIndices(labels, labelSet, labels.length)
  const batch = parent.inputBatch(inputs, MAX_FINE_TUNE_EXAMPLES)
  if (batch.batch !== classOf.length) throw new ShapeError('labels', `one label per input item (${batch.batch})`, `${classOf.length} labels`)
  const d = m.head.inputDim
  const features = await parent.backboneFeatures(batch)
  const bad = features.findIndex((v) => !Number.isFinite(v))
  if (bad >= 0) throw new InputError(`the backbone gave a non-finite feature for item ${Math.floor(bad / d)}; check the inputs' scale`, { item: Math.floor(bad / d) })
  assertNotAborted(resolved.signal)

  const all = Int32Array.from({ length: classOf.length }, (_, i) => i)
  const folds = resolved.folds > 0 ? foldExamples(classOf, labelSet.length, Math.min(resolved.folds, classOf.length), resolved.seed) : []
  const split = resolved.folds > 0 ? { train: all, heldOut: all } : splitExamples(classOf, labelSet.length, resolved.validationFraction, resolved.seed)
  if (split.heldOut.length === 0 || (resolved.folds > 0 && classOf.length < 2)) {
    throw new InputError(`too few examples to hold any out for re-calibration (${classOf.length} examples); give more examples`, { items: classOf.length })
  }
  const kernel = await parent.gradientKernel(resolved.kernel)
  const parentHead = { weight: parent.headWeight, bias: parent.headBias, labels: m.labels, featureDim: d }
  /** Trains a head from the parent's on the examples `indices` (the deployed head, or one fold head). */
  const train = async (indices: Int32Array, progress: boolean): Promise<HeadTrainingResult & { newClasses: readonly number[] }> => {
    const start = initialHead(parentHead, labelSet, features, classOf, indices)
    const result = await trainHead({
      features,
      labels: classOf,
      train: indices,
      featureDim: d,
      classes: labelSet.length,
      weight: start.weight,
      bias: start.bias,
      settings: {
        epochs: resolved.epochs,
        batchSize: resolved.batchSize,
        optimizer: resolved.optimizer,
        learningRate: resolved.learningRate,
        momentum: resolved.momentum,
        weightDecay: resolved.weightDecay,
        loss: { dropoutRate: resolved.dropoutRate, temperature: resolved.temperature, lambda: resolved.lambda, detach: resolved.detach },
        seed: resolved.seed,
      },
      kernel,
      signal: resolved.signal,
      onProgress: progress ? resolved.onProgress : null,
    })
    return { ...result, newClasses: start.newClasses }
  }
  const trained = await train(split.train, true)
  const heldOutFolds: HeldOutFold[] = []
  for (const fold of folds) {
    const inFold = new Set(fold)
    const foldHead = await train(all.filter((i) => !inFold.has(i)), false)
    heldOutFolds.push({ ...gather(features, classOf, fold, d), weight: foldHead.weight, bias: foldHead.bias })
  }

  const trainSet = gather(features, classOf, split.train, d)
  const heldOut = folds.length > 0 ? gather(features, classOf, all, d) : gather(features, classOf, split.heldOut, d)
  const fit = fitDeployment({
    head: { weight: trained.weight, bias: trained.bias, featureDim: d, classes: labelSet.length, dropoutRate: resolved.dropoutRate },
    train: trainSet,
    heldOut: folds.length > 0 ? heldOutFolds : heldOut,
    samples: m.ood.samples,
    seed: m.ood.seed,
    targetAcceptance: resolved.targetAcceptance,
    targetRisk: resolved.targetRisk,
    kernel: parent.headKernel,
    mahalanobis: 'when-every-class-has-data',
    calibrationObjective: resolved.calibrationObjective,
  })
  const splitSizes = { train: split.train.length, heldOut: split.heldOut.length, folds: folds.length }
  const contents = fineTuneBundleContents(parent, resolved, {
    labelSet,
    weight: trained.weight,
    bias: trained.bias,
    fit,
    history: trained.history,
    split: splitSizes,
    newClasses: trained.newClasses,
    gradientKernel: kernel.name,
    dataSha256: await fineTuneDataHash(batch.data, classOf, labelSet),
    items: classOf.length,
  })
  const bundleInput = assembleBundle(contents)
  const bundle = await writeBundle(bundleInput)
  assertNotAborted(resolved.signal)
  return {
    bundle,
    manifest: bundleInput.manifest,
    history: trained.history,
    metrics: { before: parentMetrics(parent, heldOut.features, heldOut.labels, labelSet), after: fit.metrics },
    split: splitSizes,
    kernel: kernel.name,
  }
}

/** The rows `indices` of N x D features, with their labels. */
function gather(features: Float32Array, labels: Int32Array, indices: Int32Array, d: number): LabelledFeatures & { labels: Int32Array } {
  const out = new Float32Array(indices.length * d)
  indices.forEach((e, i) => out.set(features.subarray(e * d, (e + 1) * d), i * d))
  return { features: out, labels: Int32Array.from(indices, (e) => labels[e] as number) }
}
