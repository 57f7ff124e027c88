import { ShapeError } from '../errors.js'
import { entropy } from '../math/entropy.js'
import type { FloatArray } from '../math/matrix.js'
import { softmax } from '../math/softmax.js'

/**
 * MC-dropout uncertainty of one item (DESIGN section 2). All entropies in nats.
 */
export interface UncertaintySummary {
  /** pbar = mean_s softmax(z_s / T_cal): the calibrated predictive distribution (sums to 1). */
  readonly probabilities: Float64Array
  /** argmax of `probabilities` (first index on ties). */
  readonly label: number
  /** max of `probabilities`, in [1/C, 1]. */
  readonly confidence: number
  /** H[pbar], in [0, ln C]: total uncertainty. */
  readonly predictiveEntropy: number
  /** mean_s H[p_s], in [0, ln C]: aleatoric part. */
  readonly expectedEntropy: number
  /** H[pbar] - mean_s H[p_s] >= 0 (up to rounding): epistemic part (BALD, Houlsby et al. 2011). */
  readonly mutualInformation: number
  /** Population variance over samples of p_s[label], in [0, 0.25]. */
  readonly variance: number
}

/**
 * Summarises S sampled logit vectors of one item (row-major S x C) into calibrated mean
 * probabilities and uncertainty: pbar = mean_s softmax(z_s / T), H[pbar], mean_s H[p_s], their
 * difference (mutual information) and the variance of p_s at argmax pbar.
 *
 * @param sampleLogits S x C logits, sample-major
 * @param samples S >= 1
 * @param classes C >= 1
 * @param temperature T_cal
 * @throws {ShapeError} when the length is not S * C or S < 1.
 * @example
 * ```ts
 * const u = summarizeSamples(new Float32Array([2, 0, 0, 2]), 2, 2)
 * u.probabilities // [0.5, 0.5]; u.mutualInformation = ln 2 - H(softmax([2, 0])) > 0
 * ```
 */
export function summarizeSamples(sampleLogits: FloatArray | readonly number[], samples: number, classes: number, temperature = 1): UncertaintySummary {
  if (!(samples >= 1) || !(classes >= 1) || sampleLogits.length !== samples * classes) {
    throw new ShapeError('sample logits', `S x C = ${samples} x ${classes} values with S, C >= 1`, `${sampleLogits.length} values`)
  }
  const perSample = new Float64Array(samples * classes)
  const mean = new Float64Array(classes)
  let expectedEntropy = 0
  for (let s = 0; s < samples; s++) {
    const p = softmax(slice(sampleLogits, s * classes, classes), temperature, perSample.subarray(s * classes, (s + 1) * classes))
    expectedEntropy += entropy(p)
    for (let j = 0; j < classes; j++) mean[j] = (mean[j] as number) + (p[j] as number)
  }
  for (let j = 0; j < classes; j++) mean[j] = (mean[j] as number) / samples
  expectedEntropy /= samples
  const label = argmax(mean)
  let first = 0
  let second = 0
  for (let s = 0; s < samples; s++) {
    const v = perSample[s * classes + label] as number
    first += v
    second += v * v
  }
  first /= samples
  const variance = Math.max(0, second / samples - first * first)
  const predictiveEntropy = entropy(mean)
  return {
    probabilities: mean,
    label,
    confidence: mean[label] as number,
    predictiveEntropy,
    expectedEntropy,
    mutualInformation: predictiveEntropy - expectedEntropy,
    variance,
  }
}

/**
 * The S = 0 case (the deterministic prediction, no dropout): probabilities = softmax(z / T_cal),
 * predictive entropy = expected entropy = H[p], mutual information = variance = 0.
 *
 * @example
 * ```ts
 * summarizeDeterministic([3, 1, 0], 1.5).mutualInformation // 0
 * ```
 */
export function summarizeDeterministic(logits: FloatArray | readonly number[], temperature = 1): UncertaintySummary {
  if (logits.length < 1) throw new ShapeError('logits', 'C >= 1 values', '0 values')
  const probabilities = softmax(logits, temperature)
  const label = argmax(probabilities)
  const h = entropy(probabilities)
  return { probabilities, label, confidence: probabilities[label] as number, predictiveEntropy: h, expectedEntropy: h, mutualInformation: 0, variance: 0 }
}

/**
 * Index of the largest value (the first one on ties); -1 for an empty array.
 *
 * @example
 * ```ts
 * argmax([0.2, 0.5, 0.5]) // 1
 * ```
 */
export function argmax(values: ArrayLike<number>): number {
  let best = -1
  let bestValue = -Infinity
  for (let j = 0; j < values.length; j++) {
    const v = values[j] as number
    if (v > bestValue || best < 0) {
      best = j
      bestValue = v
    }
  }
  return best
}

function slice(values: FloatArray | readonly number[], start: number, length: number): ArrayLike<number> {
  return Array.isArray(values) ? values.slice(start, start + length) : (values as FloatArray).subarray(start, start + length)
}
