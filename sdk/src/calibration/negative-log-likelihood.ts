import type { Matrix } from '../math/matrix.js'
import { row } from '../math/matrix.js'
import { logSoftmax } from '../math/softmax.js'
import { assertTemperature } from '../math/temperature.js'
import { assertScoredLabels } from './assert-inputs.js'

/**
 * Smallest probability `negativeLogLikelihood` takes the log of: p_y is clamped below at 1e-12, so
 * one item predicted with probability 0 costs -ln 1e-12 = 27.6 nats instead of Infinity.
 *
 * @example
 * ```ts
 * negativeLogLikelihood(matrixFromRows([[1, 0]]), [1]) // -Math.log(PROBABILITY_FLOOR) = 27.63
 * ```
 */
export const PROBABILITY_FLOOR = 1e-12

/**
 * Mean negative log-likelihood of the labels, in nats: NLL = -(1/N) sum_i ln max(p_{i, y_i}, 1e-12).
 * The clamp (`PROBABILITY_FLOOR`) keeps the metric finite when a stored probability underflowed to
 * 0; from logits use `negativeLogLikelihoodFromLogits`, which needs no clamp.
 *
 * @param probabilities items x classes, each value in [0, 1]
 * @param labels integer class id per item
 * @throws {ShapeError} for mismatched lengths; {InputError} for an empty set, bad labels or values.
 * @example
 * ```ts
 * negativeLogLikelihood(matrixFromRows([[0.5, 0.5], [0.25, 0.75]]), [0, 1]) // (ln 2 + ln(4/3)) / 2
 * ```
 */
export function negativeLogLikelihood(probabilities: Matrix, labels: ArrayLike<number>): number {
  assertScoredLabels(probabilities, labels, 'probabilities')
  const { data, rows, cols } = probabilities
  let sum = 0
  for (let i = 0; i < rows; i++) sum -= Math.log(Math.max(data[i * cols + (labels[i] as number)] as number, PROBABILITY_FLOOR))
  return sum / rows
}

/**
 * Mean negative log-likelihood of softmax(z / T), in nats, computed with log-softmax so it is exact
 * for any logit magnitude: NLL = (1/N) sum_i [logsumexp(z_i / T) - z_{i, y_i} / T].
 *
 * @param logits items x classes, finite
 * @param labels integer class id per item
 * @param temperature T > 0 (the calibration temperature T_cal; 1 = raw logits)
 * @throws {ShapeError}, {InputError} for invalid inputs; {OptionError} for a bad temperature.
 * @example
 * ```ts
 * negativeLogLikelihoodFromLogits(matrixFromRows([[2, 0]]), [0], 2) // ln(1 + e^-1) = 0.3133
 * ```
 */
export function negativeLogLikelihoodFromLogits(logits: Matrix, labels: ArrayLike<number>, temperature = 1): number {
  assertTemperature(temperature)
  assertScoredLabels(logits, labels, 'logits')
  const logP = new Float64Array(logits.cols)
  let sum = 0
  for (let i = 0; i < logits.rows; i++) {
    logSoftmax(row(logits, i), temperature, logP)
    sum -= logP[labels[i] as number] as number
  }
  return sum / logits.rows
}
