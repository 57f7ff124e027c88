import { entropyFromLogits } from '../../math/entropy.js'
import { finiteLogitMaximum } from './finite-logit-maximum.js'

/**
 * `entropy` OOD score: H[softmax(z / T)] = -sum_j p_j ln p_j in nats, the entropy of the calibrated
 * deterministic prediction. Higher = more likely out-of-distribution. Range [0, ln C]. Stable for
 * any logit magnitude (computed through log-softmax; saturated predictions give 0, not NaN).
 *
 * @param logits one item's logits z (C >= 1 finite values)
 * @param temperature the calibration temperature T_cal (> 0)
 * @throws {OptionError} for a temperature that is not finite and > 0.
 * @throws {ShapeError} / {InputError} for no logits / a non-finite logit.
 * @example
 * ```ts
 * softmaxEntropyScore([5, 5], 1) // ln 2
 * ```
 */
export function softmaxEntropyScore(logits: ArrayLike<number>, temperature: number): number {
  finiteLogitMaximum(logits)
  return entropyFromLogits(logits, temperature)
}
