import { InputError, ShapeError } from '../../errors.js'
import type { MahalanobisStatistics } from '../mahalanobis/mahalanobis-statistics.js'

/**
 * `mahalanobis` OOD score: min_c (h - mu_c)^T P (h - mu_c), the smallest squared Mahalanobis distance
 * of the feature vector h to a class mean under the shared precision P (Lee et al., NeurIPS 2018).
 * Higher = more likely out-of-distribution; >= 0, in squared feature units scaled by P.
 *
 * O(D^2 + C D) per item instead of O(C D^2): with u = h - m (m = `statistics.center`) and
 * v_c = mu_c - m, (h - mu_c)^T P (h - mu_c) = u^T P u - 2 u^T P v_c + v_c^T P v_c (P symmetric), so
 * min_c = u^T P u - 2 max_c (u^T q_c - 0.5 v_c^T q_c) with q_c = P v_c precomputed; u^T P u reads
 * only the upper triangle of the symmetric part P_s (D^2 / 2 multiply-adds). Sums run in float64;
 * rounding can push an exact 0 a hair below zero, so the result is clamped at 0.
 *
 * @param features the item's pooled feature vector h (D finite values)
 * @param statistics fitted statistics (see `MahalanobisAccumulator`, `mahalanobisStatistics`)
 * @throws {ShapeError} when `features.length !== statistics.featureDim`.
 * @throws {InputError} for a non-finite feature.
 * @example
 * ```ts
 * const stats = mahalanobisStatistics(new Float32Array([0, 0, 4, 0]), new Float32Array([1, 0, 0, 1]), 2, 2, 0, 100)
 * mahalanobisScore([1, 1], stats) // min(1 + 1, 9 + 1) = 2
 * ```
 */
export function mahalanobisScore(features: ArrayLike<number>, statistics: MahalanobisStatistics): number {
  const { featureDim: d, classes, symmetricPrecision: p, center, precisionTimesCenteredMeans: q, halfCenteredMeanNorms: half } = statistics
  if (features.length !== d) throw new ShapeError('features', `D = ${d} values`, `${features.length} values`)
  const u = new Float64Array(d)
  for (let k = 0; k < d; k++) {
    const h = features[k] as number
    if (!Number.isFinite(h)) throw new InputError(`feature ${k} is ${h}; the Mahalanobis score needs finite features`, { index: k })
    u[k] = h - (center[k] as number)
  }
  // u^T P_s u from the upper triangle: sum_a u_a (0.5 P_aa u_a + sum_{b > a} P_ab u_b), doubled.
  let halfQuadratic = 0
  for (let a = 0; a < d; a++) {
    const offset = a * d
    let s = 0.5 * (p[offset + a] as number) * (u[a] as number)
    for (let b = a + 1; b < d; b++) s += (p[offset + b] as number) * (u[b] as number)
    halfQuadratic += (u[a] as number) * s
  }
  let best = -Infinity
  for (let c = 0; c < classes; c++) {
    let dot = 0
    const offset = c * d
    for (let k = 0; k < d; k++) dot += (u[k] as number) * (q[offset + k] as number)
    const value = dot - (half[c] as number)
    if (value > best) best = value
  }
  return Math.max(0, 2 * (halfQuadratic - best))
}
