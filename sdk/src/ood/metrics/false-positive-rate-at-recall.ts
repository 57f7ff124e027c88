import { acceptanceThreshold } from './acceptance-threshold.js'
import { sortScores } from './sort-scores.js'

/**
 * FPR at a given in-distribution acceptance (FPR95 for 0.95; DESIGN section 2): the fraction of OOD
 * inputs accepted as in-distribution at the threshold t = `acceptanceThreshold(inScores, acceptance)`,
 * where an input is accepted when score <= t. t is the smallest score accepting at least
 * `acceptance` of the in-distribution inputs (an order statistic, so ties at t are all accepted).
 * Range [0, 1]; lower is better.
 *
 * @param inScores in-distribution scores (higher = more OOD)
 * @param outScores OOD scores
 * @param acceptance fraction of in-distribution inputs to accept, in (0, 1] (default 0.95)
 * @throws {OptionError} (`targetAcceptance`) outside (0, 1].
 * @throws {InputError} for an empty set or a NaN score.
 * @example
 * ```ts
 * falsePositiveRateAtRecall([1, 2, 3, 4], [2, 5], 0.5) // t = 2 accepts OOD 2: 0.5
 * ```
 */
export function falsePositiveRateAtRecall(inScores: ArrayLike<number>, outScores: ArrayLike<number>, acceptance = 0.95): number {
  const threshold = acceptanceThreshold(inScores, acceptance)
  const out = sortScores('OOD scores', outScores)
  let accepted = 0
  while (accepted < out.length && (out[accepted] as number) <= threshold) accepted++
  return accepted / out.length
}
