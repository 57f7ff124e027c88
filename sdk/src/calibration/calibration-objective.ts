import { OptionError } from '../errors.js'
import type { Matrix } from '../math/matrix.js'
import { brierScore } from './brier-score.js'
import { negativeLogLikelihood } from './negative-log-likelihood.js'

/**
 * The strictly proper scoring rule a temperature fit minimises on held-out data:
 * - `nll`: mean negative log-likelihood (Guo et al. 2017). Unbounded per item: one confidently wrong
 *   item costs -ln p_y, so a few of them pull T up (softer) for every item.
 * - `brier`: mean multi-class Brier score (Brier 1950), at most 2 per item. Under a domain shift a
 *   head adapted on a few hundred examples makes confident mistakes (rotated 6 / 9); fitted by NLL
 *   its T leaves the bulk under-confident, fitted by Brier it does not (measured:
 *   docs/results/edge-training.md).
 */
export type CalibrationObjective = 'nll' | 'brier'

/** Every {@link CalibrationObjective}, in documentation order. */
export const CALIBRATION_OBJECTIVES: readonly CalibrationObjective[] = ['nll', 'brier']

/**
 * The value of a calibration objective for probabilities and labels: mean NLL in nats, or the mean
 * Brier score in [0, 2].
 *
 * @throws {ShapeError} / {InputError} as `negativeLogLikelihood` and `brierScore`.
 * @example
 * ```ts
 * calibrationLoss('brier', matrixFromRows([[0.8, 0.2]]), [0]) // 0.08
 * ```
 */
export function calibrationLoss(objective: CalibrationObjective, probabilities: Matrix, labels: ArrayLike<number>): number {
  return objective === 'brier' ? brierScore(probabilities, labels) : negativeLogLikelihood(probabilities, labels)
}

/**
 * Checks a calibration objective given by a caller (e.g. the `calibrationObjective` option of
 * `model.fineTune`).
 *
 * @throws {OptionError} naming `option` for anything but `nll` or `brier`.
 * @example
 * ```ts
 * assertCalibrationObjective('calibrationObjective', 'brier') // returns 'brier'
 * ```
 */
export function assertCalibrationObjective(option: string, value: unknown): CalibrationObjective {
  if (!(CALIBRATION_OBJECTIVES as readonly unknown[]).includes(value)) throw new OptionError(option, `must be ${CALIBRATION_OBJECTIVES.join(' or ')}, got ${String(value)}`)
  return value as CalibrationObjective
}
