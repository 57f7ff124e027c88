import { OptionError } from '../../errors.js'

/**
 * How much to shrink a covariance toward the scaled identity: a fixed weight in [0, 1], or
 * `'ledoit-wolf'` for the Rao-Blackwellised Ledoit-Wolf estimate ({@link ledoitWolfShrinkage}).
 */
export type ShrinkageOption = number | 'ledoit-wolf'

/**
 * Shrinks a covariance toward a scaled identity: (1 - a) Sigma + a (tr(Sigma) / D) I. The target keeps
 * the average variance, so a = 1 gives an isotropic covariance with the same trace. Returns a new
 * D x D float64 matrix.
 *
 * @param covariance D x D row-major
 * @param featureDim D
 * @param shrinkage a in [0, 1]
 * @throws {OptionError} (`shrinkage`) for a weight outside [0, 1].
 * @example
 * ```ts
 * shrinkCovariance(new Float64Array([3, 1, 1, 1]), 2, 0.5) // [2.5, 0.5, 0.5, 1.5]
 * ```
 */
export function shrinkCovariance(covariance: Float64Array, featureDim: number, shrinkage: number): Float64Array {
  if (!(shrinkage >= 0 && shrinkage <= 1)) throw new OptionError('shrinkage', `must be in [0, 1] or 'ledoit-wolf', got ${shrinkage}`)
  const d = featureDim
  const target = trace(covariance, d) / d
  const shrunk = new Float64Array(d * d)
  for (let i = 0; i < d * d; i++) shrunk[i] = (1 - shrinkage) * (covariance[i] as number)
  for (let k = 0; k < d; k++) shrunk[k * d + k] = (shrunk[k * d + k] as number) + shrinkage * target
  return shrunk
}

/**
 * Rao-Blackwellised Ledoit-Wolf shrinkage weight toward (tr(S) / p) I (Chen, Wiesel, Eldar & Hero,
 * "Shrinkage Algorithms for MMSE Covariance Estimation", IEEE TSP 2010, eq. 17):
 *
 *   a = min(1, [((n - 2) / n) tr(S^2) + tr(S)^2] / [(n + 2) (tr(S^2) - tr(S)^2 / p)])
 *
 * Plain Ledoit-Wolf (2004) also needs sum_i ||r_i||^4 over the residuals r_i = h_i - mu_{y_i} about
 * the FINAL class means; merging chunks shifts those means, and correcting the fourth-moment sum for
 * the shift needs every class's own D x D co-moment (C D^2 memory). RB-LW replaces that fourth
 * moment by its expectation given S under a Gaussian model, so it needs only S and is exactly the
 * same however the data was chunked; for Gaussian data it has lower MSE than plain Ledoit-Wolf.
 * The scale of S does not matter (a is invariant to S -> kS). S ~ I (tr(S^2) = tr(S)^2 / p) gives 1.
 *
 * @param covariance S, p x p row-major
 * @param featureDim p
 * @param degreesOfFreedom n: samples behind S (for a tied covariance around C fitted class means, N - C)
 * @example
 * ```ts
 * ledoitWolfShrinkage(new Float64Array([2, 0, 0, 1]), 2, 100) // (0.98 * 5 + 9) / (102 * 0.5) = 0.2725
 * ```
 */
export function ledoitWolfShrinkage(covariance: Float64Array, featureDim: number, degreesOfFreedom: number): number {
  const p = featureDim
  const n = Math.max(1, degreesOfFreedom)
  const traceS = trace(covariance, p)
  let traceSquared = 0 // tr(S^2) = sum_ij S_ij S_ji = ||S||_F^2 for symmetric S
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) traceSquared += (covariance[i * p + j] as number) * (covariance[j * p + i] as number)
  const denominator = (n + 2) * (traceSquared - (traceS * traceS) / p)
  if (!(denominator > 0)) return 1
  const numerator = ((n - 2) / n) * traceSquared + traceS * traceS
  return Math.min(1, Math.max(0, numerator / denominator))
}

/**
 * Resolves a {@link ShrinkageOption} to a weight in [0, 1] for a covariance.
 *
 * @throws {OptionError} (`shrinkage`) for a number outside [0, 1] or an unknown string.
 * @example
 * ```ts
 * resolveShrinkage(0.1, new Float64Array([2, 0, 0, 1]), 2, 100) // 0.1
 * resolveShrinkage('ledoit-wolf', new Float64Array([2, 0, 0, 1]), 2, 100) // 0.2725
 * ```
 */
export function resolveShrinkage(option: ShrinkageOption, covariance: Float64Array, featureDim: number, degreesOfFreedom: number): number {
  if (option === 'ledoit-wolf') return ledoitWolfShrinkage(covariance, featureDim, degreesOfFreedom)
  if (typeof option !== 'number' || !(option >= 0 && option <= 1)) {
    throw new OptionError('shrinkage', `must be a number in [0, 1] or 'ledoit-wolf', got ${String(option)}`)
  }
  return option
}

function trace(matrix: Float64Array, d: number): number {
  let t = 0
  for (let k = 0; k < d; k++) t += matrix[k * d + k] as number
  return t
}
