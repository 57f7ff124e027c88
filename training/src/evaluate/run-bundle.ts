import { OOD_SCORE_NAMES, ShapeError, type HeadKernelOutput, type OodScoreName, type SdModel } from '@sd-dropout/sdk'
import type { ImageSet } from '../data/synthetic-ood.js'
import { BUNDLE_BATCH } from './open-bundle-model.js'

/** What a loaded bundle computes for a set of items, through the SDK's own calls. */
export interface BundleRun {
  readonly count: number
  /** h, N x D (`model.features`). */
  readonly features: Float32Array
  /** What `predict` serves by default: pbar at the bundle's S (`ood.samples`) and mask seed (`ood.seed`), at T_cal, with every head OOD score. */
  readonly served: HeadKernelOutput
  /** The deterministic prediction (S = 0): softmax(z0 / T_cal) and z0. */
  readonly deterministic: HeadKernelOutput
  /** The same two distributions without T_cal (T = 1), N x C: served pbar and softmax(z0). */
  readonly servedUncalibrated: Float32Array
  readonly deterministicUncalibrated: Float32Array
  /** Every OOD score the bundle can compute (higher = more OOD): the head scores at S, seed and T_cal, and `mahalanobis` from `predict` when the bundle has statistics. */
  readonly scores: Readonly<Partial<Record<OodScoreName, Float32Array>>>
}

/**
 * Runs a bundle loaded by the SDK on a set of images the way users run it: `model.features` (the
 * backbone, once per item), `model.head` at the bundle's S and mask seed and at S = 0, the same
 * head of `uncalibrated` (the bundle at T = 1, see `bundleAtTemperature`) for the raw
 * probabilities, and `model.predict` for the `mahalanobis` score.
 *
 * @param uncalibrated the same bundle loaded with T_cal = 1
 * @throws {ShapeError} when the images do not have the model's input shape.
 * @example
 * ```ts
 * const run = await runBundle(model, uncalibrated, test)
 * run.served.probabilities // what predict returns, N x C
 * ```
 */
export async function runBundle(model: SdModel, uncalibrated: SdModel, set: ImageSet): Promise<BundleRun> {
  const { input, featureDim, ood } = model.info
  if (set.itemShape.join('x') !== input.shape.join('x')) throw new ShapeError(`images of ${set.name}`, `${input.shape.join('x')} (the model's input)`, set.itemShape.join('x'))
  const size = model.info.inputSize
  const count = set.count
  const features = new Float32Array(count * featureDim)
  const mahalanobis: Float32Array | null = ood.mahalanobis ? new Float32Array(count) : null
  for (let start = 0; start < count; start += BUNDLE_BATCH) {
    const items = set.images.subarray(start * size, Math.min(count, start + BUNDLE_BATCH) * size)
    features.set((await model.features(items)).features, start * featureDim)
    if (mahalanobis !== null) {
      const predictions = await model.predict(items, { samples: 0, seed: ood.seed, oodScore: 'mahalanobis' })
      predictions.forEach((prediction, i) => (mahalanobis[start + i] = prediction.ood.score))
    }
  }
  // `head` validates an OOD score option it does not use; name one valid at any S (the bundle's default may be an MC score).
  const at = (samples: number) => ({ samples, seed: ood.seed, oodScore: 'max-logit' as const })
  const served = model.head(features, count, at(ood.samples))
  const deterministic = model.head(features, count, at(0))
  const scores: Partial<Record<OodScoreName, Float32Array>> = {}
  for (const name of OOD_SCORE_NAMES) {
    const values = name === 'mahalanobis' ? mahalanobis : served.scores[name]
    if (values !== null) scores[name] = values
  }
  return {
    count,
    features,
    served,
    deterministic,
    servedUncalibrated: uncalibrated.head(features, count, at(ood.samples)).probabilities,
    deterministicUncalibrated: uncalibrated.head(features, count, at(0)).probabilities,
    scores,
  }
}
