import type { Matrix } from '../math/matrix.js'
import { row } from '../math/matrix.js'
import { argmax } from '../uncertainty/summarize-samples.js'
import { assertScoredLabels } from './assert-inputs.js'

/** The top-label view of a classifier's predictions: what confidence it had and whether it was right. */
export interface TopLabelPredictions {
  /** Predicted class: argmax of each row (first index on ties). */
  readonly predicted: Int32Array
  /** Confidence: the largest probability of each row, in [0, 1]. */
  readonly confidence: Float64Array
  /** 1 where the predicted class equals the label, else 0. */
  readonly correct: Uint8Array
}

/**
 * Reduces items x classes probabilities to top-label predictions: predicted class = argmax (first
 * index on ties), confidence = max probability, correct = (predicted === label). Every
 * confidence-based metric (reliability diagram, ECE, AURC, selective prediction) reads these.
 *
 * @throws {ShapeError} or {InputError} for invalid inputs (see `assertScoredLabels`).
 * @example
 * ```ts
 * const top = topLabelPredictions(matrixFromRows([[0.2, 0.8], [0.6, 0.4]]), [1, 1])
 * top.confidence // [0.8, 0.6]; top.correct // [1, 0]
 * ```
 */
export function topLabelPredictions(probabilities: Matrix, labels: ArrayLike<number>): TopLabelPredictions {
  assertScoredLabels(probabilities, labels, 'probabilities')
  const n = probabilities.rows
  const predicted = new Int32Array(n)
  const confidence = new Float64Array(n)
  const correct = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const p = row(probabilities, i)
    const top = argmax(p)
    predicted[i] = top
    confidence[i] = p[top] as number
    correct[i] = top === labels[i] ? 1 : 0
  }
  return { predicted, confidence, correct }
}
