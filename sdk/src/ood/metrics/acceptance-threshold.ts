import { OptionError } from '../../errors.js'
import { sortScores } from './sort-scores.js'

/**
 * The deployed OOD threshold (DESIGN section 2): the smallest score value t such that accepting
 * `score <= t` as in-distribution accepts at least `targetAcceptance` of the held-out
 * in-distribution scores. It is an order statistic: the k-th smallest score with k the smallest
 * integer such that k / n >= targetAcceptance (k = ceil(target * n), computed so that rounding in
 * target * n cannot add one: 0.07 * 100 gives k = 7). Inputs scoring ABOVE t are flagged OOD. With
 * ties at t, the accepted fraction can exceed the target.
 *
 * @param inScores held-out in-distribution scores (higher = more OOD), at the S it will be used with
 * @param targetAcceptance fraction in (0, 1], e.g. 0.95
 * @throws {OptionError} (`targetAcceptance`) outside (0, 1].
 * @throws {InputError} for no scores or a NaN score.
 * @example
 * ```ts
 * acceptanceThreshold([5, 1, 4, 2, 3], 0.6) // 3 (k = 3: accepts 1, 2, 3)
 * ```
 */
export function acceptanceThreshold(inScores: ArrayLike<number>, targetAcceptance: number): number {
  if (!(targetAcceptance > 0 && targetAcceptance <= 1)) {
    throw new OptionError('targetAcceptance', `must be in (0, 1], got ${targetAcceptance}`)
  }
  const sorted = sortScores('in-distribution scores', inScores)
  const n = sorted.length
  let k = Math.min(n, Math.max(1, Math.ceil(targetAcceptance * n)))
  while (k > 1 && (k - 1) / n >= targetAcceptance) k--
  return sorted[k - 1] as number
}
