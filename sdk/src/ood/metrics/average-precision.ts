import { sortScores } from './sort-scores.js'

/** Area under the precision-recall curve for each choice of positive class (DESIGN section 2). */
export interface PrecisionRecallAreas {
  /** In-distribution positive, scores negated (lower score = more in-distribution). */
  readonly auprIn: number
  /** OOD positive (higher score = more OOD). */
  readonly auprOut: number
}

/**
 * Average precision (the step-wise area under the precision-recall curve, as scikit-learn's
 * `average_precision_score`): AP = sum_k (R_k - R_{k-1}) P_k over the distinct thresholds t_k taken
 * in decreasing order, where an item is predicted positive when its score >= t_k, P_k = TP / (TP + FP)
 * and R_k = TP / n_pos at t_k, R_0 = 0. Tied scores form ONE threshold (all of them enter together),
 * so the result does not depend on the order of tied items. No interpolation. Range (0, 1]; a
 * random ranking gives about n_pos / (n_pos + n_neg).
 *
 * @param positiveScores scores of the positive class (higher = more positive)
 * @param negativeScores scores of the negative class
 * @throws {InputError} for an empty set or a NaN score.
 * @example
 * ```ts
 * averagePrecision([3, 1], [2]) // 0.5 * 1 + 0.5 * (2 / 3) = 0.8333
 * ```
 */
export function averagePrecision(positiveScores: ArrayLike<number>, negativeScores: ArrayLike<number>): number {
  const positives = sortScores('positive scores', positiveScores)
  const negatives = sortScores('negative scores', negativeScores)
  // Sweep thresholds from the top: p and n index the next (descending) positive and negative.
  let p = positives.length - 1
  let n = negatives.length - 1
  let area = 0
  while (p >= 0) {
    const threshold = Math.max(positives[p] as number, n >= 0 ? (negatives[n] as number) : -Infinity)
    const before = p
    while (p >= 0 && (positives[p] as number) >= threshold) p--
    while (n >= 0 && (negatives[n] as number) >= threshold) n--
    const truePositives = positives.length - 1 - p
    const falsePositives = negatives.length - 1 - n
    if (p < before) area += ((before - p) / positives.length) * (truePositives / (truePositives + falsePositives))
  }
  // The sum of recall steps is 1 in exact arithmetic; rounding can push a perfect AP to 1 + 1e-16.
  return Math.min(1, area)
}

/**
 * AUPR-out (OOD positive, higher score = more OOD) and AUPR-in (in-distribution positive, scores
 * negated), both as {@link averagePrecision}.
 *
 * @param inScores scores of in-distribution inputs
 * @param outScores scores of OOD inputs
 * @throws {InputError} for an empty set or a NaN score.
 * @example
 * ```ts
 * areaUnderPrecisionRecall([1], [3, 2]) // { auprIn: 1, auprOut: 1 }
 * ```
 */
export function areaUnderPrecisionRecall(inScores: ArrayLike<number>, outScores: ArrayLike<number>): PrecisionRecallAreas {
  return {
    auprIn: averagePrecision(negated(inScores), negated(outScores)),
    auprOut: averagePrecision(outScores, inScores),
  }
}

function negated(scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length)
  for (let i = 0; i < scores.length; i++) out[i] = -(scores[i] as number)
  return out
}
