import type { Matrix } from '../math/matrix.js'
import { assertScoredLabels } from './assert-inputs.js'

/**
 * Brier score (Brier 1950), multi-class form: the squared distance between the probability vector
 * and the one-hot label, summed over classes and averaged over items:
 * BS = (1/N) sum_i sum_j (p_ij - [j = y_i])^2. Range [0, 2]: 0 for a confident correct prediction,
 * 2 for a confident wrong one (rows that sum to 1).
 *
 * @param probabilities items x classes, each value in [0, 1]
 * @param labels integer class id per item
 * @throws {ShapeError} for mismatched lengths; {InputError} for an empty set, bad labels or values.
 * @example
 * ```ts
 * brierScore(matrixFromRows([[0.8, 0.2]]), [0]) // 0.2^2 + 0.2^2 = 0.08
 * ```
 */
export function brierScore(probabilities: Matrix, labels: ArrayLike<number>): number {
  assertScoredLabels(probabilities, labels, 'probabilities')
  const { data, rows, cols } = probabilities
  let sum = 0
  for (let i = 0; i < rows; i++) {
    const label = labels[i] as number
    for (let j = 0; j < cols; j++) {
      const d = (data[i * cols + j] as number) - (j === label ? 1 : 0)
      sum += d * d
    }
  }
  return sum / rows
}
