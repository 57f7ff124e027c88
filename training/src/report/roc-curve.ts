import { InputError } from '@sd-dropout/sdk'

/** One point of a ROC curve: OOD counted as the positive class (DESIGN section 2). */
export interface RocPoint {
  /** Fraction of in-distribution items flagged (score above the threshold). */
  readonly falsePositiveRate: number
  /** Fraction of OOD items flagged. */
  readonly truePositiveRate: number
}

/**
 * The ROC curve of an OOD score (higher = more OOD): for every distinct threshold t, from the
 * highest score down, the fractions of OOD (TPR) and in-distribution (FPR) items with score >= t,
 * from (0, 0) to (1, 1). Ties move both rates at once (a diagonal step), so the trapezoidal area
 * under the points equals the AUROC with ties counted one half (`areaUnderRoc`). Curves with more
 * than `maxPoints` points are thinned to evenly spaced ones (first and last kept) for plotting.
 *
 * @throws {InputError} for an empty set or a NaN score.
 * @example
 * ```ts
 * rocCurve([0.1, 0.2], [0.3, 0.4]) // (0,0), (0,0.5), (0,1), (0.5,1), (1,1): perfect separation
 * ```
 */
export function rocCurve(inScores: ArrayLike<number>, outScores: ArrayLike<number>, maxPoints = 200): RocPoint[] {
  const items = [...labelled(inScores, 0, 'in-distribution'), ...labelled(outScores, 1, 'OOD')].sort((a, b) => b.score - a.score)
  const negatives = inScores.length
  const positives = outScores.length
  const points: RocPoint[] = [{ falsePositiveRate: 0, truePositiveRate: 0 }]
  let fp = 0
  let tp = 0
  for (let i = 0; i < items.length; ) {
    const score = (items[i] as { score: number }).score
    while (i < items.length && (items[i] as { score: number }).score === score) {
      if ((items[i] as { positive: number }).positive === 1) tp++
      else fp++
      i++
    }
    points.push({ falsePositiveRate: fp / negatives, truePositiveRate: tp / positives })
  }
  return thin(points, maxPoints)
}

/**
 * Keeps at most `maxPoints` points of a curve, evenly spaced by index, always with the first and last.
 *
 * @example
 * ```ts
 * thin([1, 2, 3, 4, 5], 3) // [1, 3, 5]
 * ```
 */
export function thin<T>(points: readonly T[], maxPoints: number): T[] {
  if (points.length <= maxPoints) return [...points]
  const step = (points.length - 1) / (maxPoints - 1)
  return Array.from({ length: maxPoints }, (_, k) => points[Math.round(k * step)] as T)
}

function labelled(scores: ArrayLike<number>, positive: number, what: string): { score: number; positive: number }[] {
  if (scores.length === 0) throw new InputError(`${what} scores: no scores; a ROC curve needs at least one`)
  return Array.from(scores, (score, i) => {
    if (Number.isNaN(score)) throw new InputError(`${what} scores: score ${i} is NaN`)
    return { score, positive }
  })
}
