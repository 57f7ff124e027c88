import type { ClassificationMetrics } from '../calibration/evaluate-classification.js'
import { fitDeployment, type LabelledFeatures } from '../deployment/fit-deployment.js'
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
import { splitExamples } from './seeded-order.js'
import { assertNotAborted, trainHead, type EpochRecord } from './train-head.js'

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
  /** How many examples trained the head and how many were held out (T_cal, thresholds, metrics). */
  readonly split: { readonly train: number; readonly heldOut: number }
  /** The gradient kernel that ran. */
  readonly kernel: HeadKernelName
}

/**
 * Fine-tunes a loaded model's head at the edge (the implementation of `SdModel.fineTune`):
 * 1. validates options and labels, runs the frozen backbone once per example;
 * 2. splits the examples per class into a training and a held-out part (`validationFraction`, seeded);
 * 3. starts from the parent's head (new classes imprinted from their class means, `initialHead`)
 *    and trains W, b with the SD-Dropout loss and the analytic gradient (`trainHead`);
 * 4. refits T_cal, every OOD threshold and the selective threshold on the held-out part and the
 *    Mahalanobis statistics on the training part (`fitDeployment`, at the parent's S and seed);
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

  const split = splitExamples(classOf, labelSet.length, resolved.validationFraction, resolved.seed)
  if (split.heldOut.length === 0) {
    throw new InputError(`too few examples to hold any out for re-calibration (${classOf.length} examples, validationFraction ${resolved.validationFraction}); give more examples or a larger fraction`, {
      items: classOf.length,
    })
  }
  const start = initialHead({ weight: parent.headWeight, bias: parent.headBias, labels: m.labels, featureDim: d }, labelSet, features, classOf, split.train)
  const kernel = await parent.gradientKernel(resolved.kernel)
  const trained = await trainHead({
    features,
    labels: classOf,
    train: split.train,
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
    onProgress: resolved.onProgress,
  })

  const train = gather(features, classOf, split.train, d)
  const heldOut = gather(features, classOf, split.heldOut, d)
  const fit = fitDeployment({
    head: { weight: trained.weight, bias: trained.bias, featureDim: d, classes: labelSet.length, dropoutRate: resolved.dropoutRate },
    train,
    heldOut,
    samples: m.ood.samples,
    seed: m.ood.seed,
    targetAcceptance: resolved.targetAcceptance,
    targetRisk: resolved.targetRisk,
    kernel: parent.headKernel,
    mahalanobis: 'when-every-class-has-data',
  })
  const contents = fineTuneBundleContents(parent, resolved, {
    labelSet,
    weight: trained.weight,
    bias: trained.bias,
    fit,
    history: trained.history,
    split: { train: split.train.length, heldOut: split.heldOut.length },
    newClasses: start.newClasses,
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
    split: { train: split.train.length, heldOut: split.heldOut.length },
    kernel: kernel.name,
  }
}

/** The rows `indices` of N x D features, with their labels. */
function gather(features: Float32Array, labels: Int32Array, indices: Int32Array, d: number): LabelledFeatures & { labels: Int32Array } {
  const out = new Float32Array(indices.length * d)
  indices.forEach((e, i) => out.set(features.subarray(e * d, (e + 1) * d), i * d))
  return { features: out, labels: Int32Array.from(indices, (e) => labels[e] as number) }
}
