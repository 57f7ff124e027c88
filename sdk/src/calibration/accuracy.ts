import type { Matrix } from '../math/matrix.js'
import { topLabelPredictions } from './top-label.js'

/**
 * Top-1 accuracy: the fraction of items whose argmax class (first index on ties) equals the
 * label, in [0, 1].
 *
 * @param probabilities items x classes (logits give the same argmax, but are rejected outside [0, 1])
 * @param labels integer class id per item
 * @throws {ShapeError} for mismatched lengths; {InputError} for an empty set, bad labels or non-finite values.
 * @example
 * ```ts
 * accuracy(matrixFromRows([[0.9, 0.1], [0.5, 0.5]]), [0, 1]) // 0.5 (the tie predicts class 0)
 * ```
 */
export function accuracy(probabilities: Matrix, labels: ArrayLike<number>): number {
  const { correct } = topLabelPredictions(probabilities, labels)
  let hits = 0
  for (const c of correct) hits += c
  return hits / correct.length
}
