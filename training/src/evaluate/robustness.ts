import { evaluateClassification, loadBackbone, matrix, readBundle, ShapeError, type SdModel } from '@sd-dropout/sdk'
import type { Dataset } from '../data/dataset.js'
import { fromModelSpace, toModelSpace } from '../data/model-space.js'
import { CORRUPTION_SEVERITIES, corruptImages, type CorruptionName } from './corruptions.js'
import { fgsmExamples, inputBounds } from './fgsm.js'
import { BUNDLE_BATCH } from './open-bundle-model.js'

/** What users get on a shifted or attacked test set: the served prediction's quality and the OOD verdicts. */
export interface RobustnessMetrics {
  readonly items: number
  /** Accuracy of the served prediction (pbar at the bundle's S, seed and T_cal). */
  readonly accuracy: number
  /** ECE (15 equal-width bins) and mean NLL of the same prediction. */
  readonly ece: number
  readonly nll: number
  /** Fraction of items the bundle's default OOD score flags (score above its threshold); null without a threshold. */
  readonly oodFlagged: number | null
}

/** One corruption at one severity. */
export interface ShiftEvaluation extends RobustnessMetrics {
  readonly shift: CorruptionName
  /** 1 (mild) to 5 (severe). */
  readonly severity: number
  /** The corruption's parameter at that severity (`CORRUPTION_SEVERITIES`). */
  readonly parameter: number
}

/** FGSM at one epsilon (pixel units). */
export interface FgsmEvaluation extends RobustnessMetrics {
  readonly epsilon: number
}

/**
 * Runs model-space inputs through `model.predict` (the bundle's S, mask seed and default OOD
 * score) and scores the served prediction against the labels.
 *
 * @example
 * ```ts
 * const { accuracy, ece } = await servedMetrics(model, test.images, test.labels)
 * ```
 */
export async function servedMetrics(model: SdModel, images: Float32Array, labels: Int32Array): Promise<RobustnessMetrics> {
  const { inputSize, labels: names, ood } = model.info
  const count = labels.length
  const classes = names.length
  const probabilities = new Float32Array(count * classes)
  let flagged = 0
  for (let start = 0; start < count; start += BUNDLE_BATCH) {
    const items = images.subarray(start * inputSize, Math.min(count, start + BUNDLE_BATCH) * inputSize)
    const predictions = await model.predict(items, { samples: ood.samples, seed: ood.seed })
    predictions.forEach((prediction, i) => {
      probabilities.set(prediction.probabilities, (start + i) * classes)
      if (prediction.ood.isOutOfDistribution) flagged++
    })
  }
  const metrics = evaluateClassification(matrix(probabilities, count, classes), labels)
  const threshold = ood.thresholds[ood.score]
  return { items: count, accuracy: metrics.accuracy, ece: metrics.ece, nll: metrics.nll, oodFlagged: threshold === undefined ? null : flagged / count }
}

/**
 * Evaluates the served prediction on corrupted copies of the test set: each corruption at each
 * severity is applied in [0, 1] pixel space (the test images mapped back from model space),
 * then mapped to model space with the bundle's normalisation.
 *
 * @param test labelled images in the model's input space (an image model; flat models too: the
 *   corruptions use the input spec's height, width and channels)
 * @throws {ShapeError} for a vector model.
 * @example
 * ```ts
 * const rows = await evaluateShifts(model, test, [{ shift: 'blur', severity: 3 }])
 * ```
 */
export async function evaluateShifts(model: SdModel, test: Dataset, requests: readonly { readonly shift: CorruptionName; readonly severity: number }[]): Promise<ShiftEvaluation[]> {
  const { input } = model.info
  if (input.image === null) throw new ShapeError('--shift', 'an image model (corruptions move and blur pixels)', 'a vector model')
  // the image's own [height, width, channels]: a flat model's items are [H * W * C] values
  const imageShape = [input.image.height, input.image.width, input.image.channels]
  const pixels = fromModelSpace(test.images, input)
  const rows: ShiftEvaluation[] = []
  for (const { shift, severity } of requests) {
    const parameter = CORRUPTION_SEVERITIES[shift][severity - 1] as number
    const shifted = toModelSpace(corruptImages(shift, pixels, test.count, imageShape, parameter), input)
    rows.push({ shift, severity, parameter, ...(await servedMetrics(model, shifted, test.labels)) })
  }
  return rows
}

/**
 * Evaluates the served prediction on FGSM adversarial copies of the test set, one per epsilon
 * (pixel units): the attack differentiates the cross-entropy of the deterministic logits through
 * the bundle's own backbone (rebuilt from `bytes` on the active tfjs backend) and head.
 *
 * @param bytes the bundle the model was loaded from
 * @param test labelled inputs in the model's input space
 * @example
 * ```ts
 * const rows = await evaluateFgsm(model, bytes, test, [0.05, 0.1, 0.2])
 * ```
 */
export async function evaluateFgsm(model: SdModel, bytes: Uint8Array, test: Dataset, epsilons: readonly number[]): Promise<FgsmEvaluation[]> {
  const bundle = await readBundle(bytes)
  const { manifest } = bundle
  const backbone = await loadBackbone(bundle)
  try {
    const head = { weight: bundle.float32(manifest.head.weightPart), bias: bundle.float32(manifest.head.biasPart), featureDim: manifest.head.inputDim, classes: manifest.head.classes }
    const bounds = inputBounds(manifest.input)
    const rows: FgsmEvaluation[] = []
    for (const epsilon of epsilons) {
      const adversarial = fgsmExamples(backbone, head, test.images, test.labels, manifest.input.shape, epsilon, bounds)
      rows.push({ epsilon, ...(await servedMetrics(model, adversarial, test.labels)) })
    }
    return rows
  } finally {
    backbone.dispose()
  }
}
