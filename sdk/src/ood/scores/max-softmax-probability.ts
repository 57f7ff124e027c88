import { assertTemperature } from '../../math/temperature.js'
import { finiteLogitMaximum } from './finite-logit-maximum.js'

/**
 * `msp` OOD score: 1 - max_j softmax(z / T)_j (maximum softmax probability, Hendrycks & Gimpel,
 * ICLR 2017), oriented so that higher = more likely out-of-distribution. Range [0, 1 - 1/C].
 *
 * Computed as r / (1 + r) with r = sum_{j != j*} exp((z_j - z_j*) / T) (j* = the first argmax):
 * only differences of logits are exponentiated, so it neither overflows for huge logits nor loses
 * the small value 1 - p of a confident prediction (logits [30, 0] give e^-30 / (1 + e^-30), not 0).
 *
 * @param logits one item's logits z (C >= 1 finite values)
 * @param temperature the calibration temperature T_cal (> 0; 1 = raw softmax)
 * @throws {OptionError} for a temperature that is not finite and > 0.
 * @throws {ShapeError} / {InputError} for no logits / a non-finite logit.
 * @example
 * ```ts
 * maxSoftmaxProbabilityScore([Math.log(3), 0], 1) // 1 - 0.75 = 0.25
 * ```
 */
export function maxSoftmaxProbabilityScore(logits: ArrayLike<number>, temperature: number): number {
  assertTemperature(temperature)
  const max = finiteLogitMaximum(logits)
  let rest = 0
  let skipped = false
  for (let j = 0; j < logits.length; j++) {
    const z = logits[j] as number
    if (z === max && !skipped) skipped = true
    else rest += Math.exp((z - max) / temperature)
  }
  return rest / (1 + rest)
}
