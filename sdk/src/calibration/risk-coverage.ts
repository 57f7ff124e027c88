import { assertConfidenceAndCorrect } from './assert-inputs.js'
import { groupByConfidence } from './confidence-groups.js'

/**
 * Area under the risk-coverage curve, AURC (Geifman, Uziel and El-Yaniv 2019, "Bias-Reduced
 * Uncertainty Estimation for Deep Neural Classifiers"). Items are accepted in order of decreasing
 * confidence; at coverage k / N the risk is the error rate among the k accepted items, and
 * AURC = (1/N) sum_{k=1..N} risk(k), a fraction in [0, 1] (lower is better).
 *
 * Ties: items with equal confidence form one group that a threshold accepts or rejects together,
 * so the curve is exact at group boundaries; inside a group the group's errors are spread evenly,
 * risk(K + j) = (E + j e_g / n_g) / (K + j) for the j-th of its n_g items (K items with E errors
 * before it, e_g errors in it). This equals the mean AURC over every order of the tied items, does
 * not depend on the input order, and equals the plain formula when there are no ties.
 *
 * @param confidence one finite score per item, higher = more confident (e.g. max probability)
 * @param correct whether each item was predicted correctly (`true`/`false` or `1`/`0`)
 * @throws {ShapeError} for mismatched lengths; {InputError} for an empty set or invalid values.
 * @example
 * ```ts
 * areaUnderRiskCoverage([0.9, 0.8], [true, false]) // (0/1 + 1/2) / 2 = 0.25
 * ```
 */
export function areaUnderRiskCoverage(confidence: ArrayLike<number>, correct: ArrayLike<boolean | number>): number {
  assertConfidenceAndCorrect(confidence, correct)
  const groups = groupByConfidence(confidence, correct)
  let accepted = 0
  let errors = 0
  let area = 0
  for (let g = 0; g < groups.count.length; g++) {
    const size = groups.count[g] as number
    const errorRate = (groups.errors[g] as number) / size
    for (let j = 1; j <= size; j++) area += (errors + j * errorRate) / (accepted + j)
    accepted += size
    errors += groups.errors[g] as number
  }
  return area / accepted
}

/**
 * Excess AURC, E-AURC (Geifman et al. 2019): AURC minus the AURC of an oracle that ranks every
 * correct item above every wrong one, at the same error rate. It isolates the quality of the
 * ranking from the accuracy: 0 for a perfect ranking, >= 0 always, in [0, 1].
 *
 * The oracle term uses the exact discrete form: with N items of which n_c are correct,
 * AURC* = (1/N) sum_{k = n_c + 1 .. N} (k - n_c) / k. (The often quoted r + (1 - r) ln(1 - r), for
 * error rate r, is its limit as N grows; for small N it is noticeably smaller, and would make the
 * E-AURC of a perfect ranking positive.)
 *
 * @throws {ShapeError} for mismatched lengths; {InputError} for an empty set or invalid values.
 * @example
 * ```ts
 * excessAreaUnderRiskCoverage([0.9, 0.8], [true, false]) // 0.25 - 0.25 = 0 (perfect ranking)
 * ```
 */
export function excessAreaUnderRiskCoverage(confidence: ArrayLike<number>, correct: ArrayLike<boolean | number>): number {
  const aurc = areaUnderRiskCoverage(confidence, correct)
  const n = correct.length
  let correctCount = 0
  for (let i = 0; i < n; i++) if (correct[i] === true || correct[i] === 1) correctCount++
  let oracle = 0
  for (let k = correctCount + 1; k <= n; k++) oracle += (k - correctCount) / k
  // The difference is >= 0 in exact arithmetic; the clamp only removes rounding noise (~1e-17).
  return Math.max(0, aurc - oracle / n)
}
