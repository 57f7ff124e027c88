import { InputError } from '../../errors.js'

/**
 * A validated, ascending float64 copy of a set of OOD scores: the common first step of every OOD
 * detection metric. +-Infinity is allowed (it sorts to an end); NaN has no order and is rejected.
 *
 * @param what names the set in errors (`'in-distribution scores'`, `'OOD scores'`)
 * @param scores the scores (higher = more likely OOD)
 * @throws {InputError} for an empty set or a NaN score.
 * @example
 * ```ts
 * sortScores('OOD scores', [3, 1, 2]) // Float64Array [1, 2, 3]
 * ```
 */
export function sortScores(what: string, scores: ArrayLike<number>): Float64Array {
  if (scores.length === 0) throw new InputError(`${what}: no scores; OOD detection metrics need at least one`, { what })
  const sorted = Float64Array.from(scores)
  for (let i = 0; i < sorted.length; i++) {
    if (Number.isNaN(sorted[i])) throw new InputError(`${what}: score ${i} is NaN`, { what, index: i })
  }
  return sorted.sort()
}
