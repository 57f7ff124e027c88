import type { OodDetectionMetrics } from '../../format/manifest.js'
import { areaUnderRoc } from './area-under-roc.js'
import { areaUnderPrecisionRecall } from './average-precision.js'
import { detectionError } from './detection-error.js'
import { falsePositiveRateAtRecall } from './false-positive-rate-at-recall.js'

/**
 * All OOD detection metrics of one score on one in-distribution / OOD pair (DESIGN section 2), OOD as
 * the positive class and higher score = more OOD, named as `OodDetectionMetrics` in the manifest:
 * AUROC, AUPR-in, AUPR-out, FPR95 (acceptance 0.95) and detection error, all fractions in [0, 1].
 *
 * @param inScores in-distribution scores
 * @param outScores OOD scores
 * @throws {InputError} for an empty set or a NaN score.
 * @example
 * ```ts
 * evaluateOodDetection([0.1, 0.2], [0.8, 0.9]) // { auroc: 1, auprIn: 1, auprOut: 1, fpr95: 0, detectionError: 0 }
 * ```
 */
export function evaluateOodDetection(inScores: ArrayLike<number>, outScores: ArrayLike<number>): OodDetectionMetrics {
  const { auprIn, auprOut } = areaUnderPrecisionRecall(inScores, outScores)
  return {
    auroc: areaUnderRoc(inScores, outScores),
    auprIn,
    auprOut,
    fpr95: falsePositiveRateAtRecall(inScores, outScores, 0.95),
    detectionError: detectionError(inScores, outScores),
  }
}
