import { topLabelPredictions, type Matrix } from '@sd-dropout/sdk'
import { thin } from './roc-curve.js'

/** One point of the accuracy-coverage curve of selective prediction. */
export interface CoveragePoint {
  /** Fraction of items answered (confidence >= threshold). */
  readonly coverage: number
  /** Accuracy among the answered items (1 - risk). */
  readonly accuracy: number
  /** The confidence threshold that answers them. */
  readonly threshold: number
}

/**
 * The accuracy-coverage curve (DESIGN section 2, selective prediction): items sorted by confidence
 * (max probability), for every distinct confidence c the fraction answered at threshold c and the
 * accuracy among them; ties enter together. Its area under 1 - accuracy is the AURC. Thinned to
 * `maxPoints` for plotting.
 *
 * @example
 * ```ts
 * accuracyCoverage(matrix(Float32Array.of(0.9, 0.1, 0.4, 0.6), 2, 2), [0, 0]) // coverage 0.5 -> accuracy 1, coverage 1 -> 0.5
 * ```
 */
export function accuracyCoverage(probabilities: Matrix, labels: ArrayLike<number>, maxPoints = 200): CoveragePoint[] {
  const { confidence, correct } = topLabelPredictions(probabilities, labels)
  const order = Array.from(confidence.keys()).sort((a, b) => (confidence[b] as number) - (confidence[a] as number))
  const points: CoveragePoint[] = []
  let answered = 0
  let right = 0
  for (let i = 0; i < order.length; ) {
    const threshold = confidence[order[i] as number] as number
    while (i < order.length && confidence[order[i] as number] === threshold) {
      answered++
      right += correct[order[i] as number] as number
      i++
    }
    points.push({ coverage: answered / order.length, accuracy: right / answered, threshold })
  }
  return thin(points, maxPoints)
}
