import { logSumExp } from '../../math/log-sum-exp.js'
import { assertTemperature } from '../../math/temperature.js'
import { finiteLogitMaximum } from './finite-logit-maximum.js'

/**
 * `energy` OOD score: the free energy E(z; T) = -T * logsumexp(z / T) (Liu, Wang, Owens & Li,
 * "Energy-based Out-of-distribution Detection", NeurIPS 2020). Higher = more likely
 * out-of-distribution; unbounded, in logit units. DESIGN section 2 fixes T = 1 on raw logits: the
 * energy temperature is its own parameter, NOT the calibration temperature T_cal.
 *
 * Stable for any logit magnitude (logsumexp subtracts the maximum first).
 *
 * @param logits one item's logits z (C >= 1 finite values)
 * @param energyTemperature T > 0 of the energy (default 1, as in DESIGN)
 * @throws {OptionError} for an energy temperature that is not finite and > 0.
 * @throws {ShapeError} / {InputError} for no logits / a non-finite logit.
 * @example
 * ```ts
 * energyScore([0, 0]) // -ln 2
 * energyScore([1e4, 1e4]) // -(1e4 + ln 2), no overflow
 * ```
 */
export function energyScore(logits: ArrayLike<number>, energyTemperature = 1): number {
  assertTemperature(energyTemperature, 'energyTemperature')
  finiteLogitMaximum(logits)
  return -energyTemperature * logSumExp(logits, 1 / energyTemperature)
}
