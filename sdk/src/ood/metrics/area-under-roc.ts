import { sortScores } from './sort-scores.js'

/**
 * AUROC of OOD detection with OOD as the positive class and higher score = more OOD (DESIGN section
 * 2): the probability that a random OOD input scores higher than a random in-distribution input,
 * ties counting one half, i.e. the Mann-Whitney U statistic over n_in * n_out:
 *
 *   AUROC = (#{(i, o): out_o > in_i} + 0.5 #{(i, o): out_o = in_i}) / (n_in n_out)
 *
 * Equal to the trapezoidal area under the ROC curve with tied scores forming one diagonal step.
 * O(n log n): both sets are sorted and swept with two pointers. 0.5 = chance, 1 = perfect.
 * Swapping the sets gives the complement: areaUnderRoc(a, b) = 1 - areaUnderRoc(b, a).
 *
 * @param inScores scores of in-distribution inputs (negatives)
 * @param outScores scores of OOD inputs (positives)
 * @throws {InputError} for an empty set or a NaN score.
 * @example
 * ```ts
 * areaUnderRoc([0.1, 0.4], [0.4, 0.9]) // (0.5 + 1 + 1 + 1) / 4 = 0.875
 * ```
 */
export function areaUnderRoc(inScores: ArrayLike<number>, outScores: ArrayLike<number>): number {
  const negatives = sortScores('in-distribution scores', inScores)
  const positives = sortScores('OOD scores', outScores)
  let below = 0 // in-distribution scores < current OOD score
  let notAbove = 0 // in-distribution scores <= current OOD score
  let wins = 0
  for (const score of positives) {
    while (below < negatives.length && (negatives[below] as number) < score) below++
    if (notAbove < below) notAbove = below
    while (notAbove < negatives.length && (negatives[notAbove] as number) <= score) notAbove++
    wins += below + 0.5 * (notAbove - below)
  }
  return wins / (negatives.length * positives.length)
}
