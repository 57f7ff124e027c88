import type { Matrix } from '../math/matrix.js'
import type { ReliabilityBin } from './reliability-diagram.js'
import { reliabilityDiagram } from './reliability-diagram.js'

/** Options of the binned calibration errors. */
export interface CalibrationErrorOptions {
  /** Number of bins, an integer >= 1 (default 15). */
  readonly bins?: number
}

/**
 * Expected calibration error (Naeini et al. 2015; Guo et al. 2017) over equal-width confidence
 * bins: ECE = sum_b (|B_b| / N) |acc_b - conf_b|, a fraction in [0, 1]. Bins as in
 * `reliabilityDiagram` (default 15; an item on an edge goes to the upper bin).
 *
 * @throws {ShapeError}, {InputError} for invalid inputs; {OptionError} for a bad `bins`.
 * @example
 * ```ts
 * expectedCalibrationError(matrixFromRows([[0.9, 0.1], [0.8, 0.2]]), [0, 1]) // (0.1 + 0.8) / 2 = 0.45
 * ```
 */
export function expectedCalibrationError(probabilities: Matrix, labels: ArrayLike<number>, options: CalibrationErrorOptions = {}): number {
  return weightedGap(reliabilityDiagram(probabilities, labels, { bins: options.bins ?? 15, binning: 'equal-width' }))
}

/**
 * Adaptive calibration error (Nixon et al. 2019, "Measuring Calibration in Deep Learning"): ECE over
 * equal-mass bins, ACE = sum_b (|B_b| / N) |acc_b - conf_b|, in [0, 1]. Default 15 bins; bins and
 * ties as in `reliabilityDiagram` with `binning: 'equal-mass'`.
 *
 * @throws {ShapeError}, {InputError} for invalid inputs; {OptionError} for a bad `bins`.
 * @example
 * ```ts
 * // Two bins by rank: {0.6, 0.7} (conf 0.65, acc 0.5) and {0.8, 0.9} (conf 0.85, acc 0.5)
 * adaptiveCalibrationError(matrixFromRows([[0.6, 0.4], [0.7, 0.3], [0.8, 0.2], [0.9, 0.1]]), [0, 1, 0, 1], { bins: 2 }) // 0.25
 * ```
 */
export function adaptiveCalibrationError(probabilities: Matrix, labels: ArrayLike<number>, options: CalibrationErrorOptions = {}): number {
  return weightedGap(reliabilityDiagram(probabilities, labels, { bins: options.bins ?? 15, binning: 'equal-mass' }))
}

/**
 * Maximum calibration error (Naeini et al. 2015): the largest |acc_b - conf_b| over the non-empty
 * equal-width bins (default 15), in [0, 1].
 *
 * @throws {ShapeError}, {InputError} for invalid inputs; {OptionError} for a bad `bins`.
 * @example
 * ```ts
 * maximumCalibrationError(matrixFromRows([[0.9, 0.1], [0.8, 0.2]]), [0, 1]) // 0.8
 * ```
 */
export function maximumCalibrationError(probabilities: Matrix, labels: ArrayLike<number>, options: CalibrationErrorOptions = {}): number {
  let worst = 0
  for (const bin of reliabilityDiagram(probabilities, labels, { bins: options.bins ?? 15, binning: 'equal-width' })) {
    if (bin.count > 0) worst = Math.max(worst, Math.abs(bin.accuracy - bin.confidence))
  }
  return worst
}

function weightedGap(bins: readonly ReliabilityBin[]): number {
  let total = 0
  let sum = 0
  for (const bin of bins) {
    total += bin.count
    sum += bin.count * Math.abs(bin.accuracy - bin.confidence)
  }
  return sum / total
}
