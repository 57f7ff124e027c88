import { sortScores } from './sort-scores.js'

/**
 * Detection error (DESIGN section 2): min over thresholds t of 0.5 (1 - TPR(t)) + 0.5 FPR(t), with OOD
 * positive and an input flagged OOD when score > t, so TPR = #{out > t} / n_out and
 * FPR = #{in > t} / n_in: the error of the best threshold when OOD and in-distribution inputs are
 * equally likely. Every t in {-Infinity} and the observed scores is tried (the error only changes
 * there). Range [0, 0.5] (flagging nothing gives 0.5); lower is better.
 *
 * @param inScores in-distribution scores (higher = more OOD)
 * @param outScores OOD scores
 * @throws {InputError} for an empty set or a NaN score.
 * @example
 * ```ts
 * detectionError([1, 2, 3], [2.5, 4]) // t = 2: 0.5 * 0 + 0.5 * (1 / 3) = 0.1667
 * ```
 */
export function detectionError(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  const negatives = sortScores('in-distribution scores', inScores)
  const positives = sortScores('OOD scores', outScores)
  const nIn = negatives.length
  const nOut = positives.length
  let inAccepted = 0 // #{in <= t}
  let outAccepted = 0 // #{out <= t}
  let best = error(0, 0)
  while (inAccepted < nIn || outAccepted < nOut) {
    const threshold = Math.min(inAccepted < nIn ? (negatives[inAccepted] as number) : Infinity, outAccepted < nOut ? (positives[outAccepted] as number) : Infinity)
    while (inAccepted < nIn && (negatives[inAccepted] as number) <= threshold) inAccepted++
    while (outAccepted < nOut && (positives[outAccepted] as number) <= threshold) outAccepted++
    best = Math.min(best, error(inAccepted, outAccepted))
  }
  return best

  function error(inBelow: number, outBelow: number): number {
    return 0.5 * (outBelow / nOut) + 0.5 * ((nIn - inBelow) / nIn)
  }
}
