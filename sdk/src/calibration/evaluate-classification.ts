import type { Matrix } from '../math/matrix.js'
import { accuracy } from './accuracy.js'
import { brierScore } from './brier-score.js'
import { adaptiveCalibrationError, expectedCalibrationError, maximumCalibrationError } from './calibration-error.js'
import { negativeLogLikelihood } from './negative-log-likelihood.js'
import { areaUnderRiskCoverage, excessAreaUnderRiskCoverage } from './risk-coverage.js'
import { topLabelPredictions } from './top-label.js'

/**
 * Every calibration and selective-prediction metric of one split (the required fields of the
 * manifest's `EvaluationMetrics`). Fractions in [0, 1] except `items`, `nll` (nats) and `brier` ([0, 2]).
 */
export interface ClassificationMetrics {
  /** Number of items evaluated. */
  readonly items: number
  /** Top-1 accuracy. */
  readonly accuracy: number
  /** Mean negative log-likelihood in nats (probabilities clamped below at 1e-12). */
  readonly nll: number
  /** Brier score, summed over classes and averaged over items, in [0, 2]. */
  readonly brier: number
  /** Expected calibration error, 15 equal-width bins. */
  readonly ece: number
  /** Adaptive calibration error, 15 equal-mass bins. */
  readonly adaptiveEce: number
  /** Maximum calibration error over non-empty equal-width bins (15). */
  readonly mce: number
  /** Area under the risk-coverage curve (confidence = max probability). */
  readonly aurc: number
  /** AURC minus the AURC of the perfect ranking at the same error rate. */
  readonly eAurc: number
}

/**
 * Evaluates a classifier's probabilities on a labelled split: accuracy, NLL, Brier, ECE, adaptive
 * ECE, MCE (15 bins each) and AURC / E-AURC with confidence = max probability (DESIGN section 2).
 * Pass calibrated probabilities (softmax(z / T_cal)) for the calibrated metrics.
 *
 * @param probabilities items x classes, each value in [0, 1]
 * @param labels integer class id per item
 * @throws {ShapeError} for mismatched lengths; {InputError} for an empty set, bad labels or values.
 * @example
 * ```ts
 * const metrics = evaluateClassification(matrixFromRows([[0.9, 0.1], [0.8, 0.2]]), [0, 1])
 * // { items: 2, accuracy: 0.5, nll: 0.857, brier: 0.65, ece: 0.45, adaptiveEce: 0.45, mce: 0.8, aurc: 0.25, eAurc: 0 }
 * ```
 */
export function evaluateClassification(probabilities: Matrix, labels: ArrayLike<number>): ClassificationMetrics {
  const { confidence, correct } = topLabelPredictions(probabilities, labels)
  return {
    items: probabilities.rows,
    accuracy: accuracy(probabilities, labels),
    nll: negativeLogLikelihood(probabilities, labels),
    brier: brierScore(probabilities, labels),
    ece: expectedCalibrationError(probabilities, labels),
    adaptiveEce: adaptiveCalibrationError(probabilities, labels),
    mce: maximumCalibrationError(probabilities, labels),
    aurc: areaUnderRiskCoverage(confidence, correct),
    eAurc: excessAreaUnderRiskCoverage(confidence, correct),
  }
}
