/**
 * Items grouped by equal confidence, in descending confidence order: the points at which a
 * confidence threshold can cut a selective classifier (tied items are accepted or rejected
 * together). Inputs are assumed checked (`assertConfidenceAndCorrect`).
 */
export interface ConfidenceGroups {
  /** Distinct confidence values, descending. */
  readonly confidence: Float64Array
  /** Items in each group. */
  readonly count: Float64Array
  /** Wrong items in each group. */
  readonly errors: Float64Array
}

/**
 * Sorts items by confidence (descending) and merges ties into groups.
 *
 * @example
 * ```ts
 * groupByConfidence([0.5, 0.9, 0.5], [1, 0, 0]) // confidence [0.9, 0.5], count [1, 2], errors [1, 1]
 * ```
 */
export function groupByConfidence(confidence: ArrayLike<number>, correct: ArrayLike<boolean | number>): ConfidenceGroups {
  const n = confidence.length
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => (confidence[b] as number) - (confidence[a] as number))
  const values: number[] = []
  const count: number[] = []
  const errors: number[] = []
  for (const i of order) {
    const c = confidence[i] as number
    const wrong = correct[i] === true || correct[i] === 1 ? 0 : 1
    const last = values.length - 1
    if (last >= 0 && values[last] === c) {
      count[last] = (count[last] as number) + 1
      errors[last] = (errors[last] as number) + wrong
    } else {
      values.push(c)
      count.push(1)
      errors.push(wrong)
    }
  }
  return { confidence: Float64Array.from(values), count: Float64Array.from(count), errors: Float64Array.from(errors) }
}
