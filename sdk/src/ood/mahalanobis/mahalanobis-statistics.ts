import { InputError, ShapeError } from '../../errors.js'

/**
 * Class-conditional Gaussian statistics for the `mahalanobis` OOD score (Lee, Lee, Lee & Shin, "A
 * Simple Unified Framework for Detecting Out-of-Distribution Samples and Adversarial Attacks",
 * NeurIPS 2018): class means mu_c of the pooled feature h and the precision P = Sigma^-1 of a shrunk
 * tied covariance, plus the parts precomputed from them that make a score O(D^2 + C D).
 *
 * Precomputed parts, with m = the unweighted average of the class means (a centre that reduces
 * cancellation; any fixed vector gives the same distances) and P_s = (P + P^T) / 2:
 * - `symmetricPrecision`: P_s as float32 (the same array as `precision` when that is exactly
 *   symmetric, as fitted precisions are), so scores may read one triangle only
 * - `center`: m (D values, float64)
 * - `precisionTimesCenteredMeans`: q_c = P_s (mu_c - m), C x D row-major, float64
 * - `halfCenteredMeanNorms`: 0.5 (mu_c - m)^T P_s (mu_c - m), C values
 *
 * Build it with {@link mahalanobisStatistics} (from stored means + precision) or
 * `MahalanobisAccumulator.finish` (from training features); never fill the precomputed parts by hand.
 */
export interface MahalanobisStatistics {
  /** D, the length of h. */
  readonly featureDim: number
  /** C, the number of classes. */
  readonly classes: number
  /** Class means mu_c, C x D row-major (the bundle's float32 `meansPart`). */
  readonly means: Float32Array
  /** P, the inverse of the shrunk tied covariance, D x D row-major (the bundle's float32 `precisionPart`). */
  readonly precision: Float32Array
  /** Shrinkage weight a in [0, 1] toward the scaled identity (tr(Sigma) / D) I. */
  readonly shrinkage: number
  /** Training items the statistics were fitted on. */
  readonly fittedOn: number
  /** P_s = (P + P^T) / 2, D x D; the very same array as `precision` when P is exactly symmetric. */
  readonly symmetricPrecision: Float32Array
  /** m = mean over classes of mu_c (D values). */
  readonly center: Float64Array
  /** q_c = P_s (mu_c - m), C x D row-major. */
  readonly precisionTimesCenteredMeans: Float64Array
  /** 0.5 (mu_c - m)^T P_s (mu_c - m), C values. */
  readonly halfCenteredMeanNorms: Float64Array
}

/**
 * Builds {@link MahalanobisStatistics} from stored class means and precision (as read from a bundle),
 * validating them and precomputing P_s, the centre, P_s (mu_c - m) and 0.5 (mu_c - m)^T P_s (mu_c - m)
 * (O(C D^2), once). The precision is used through its symmetric part P_s, so the score's algebra
 * holds even if the stored matrix is not exactly symmetric (then P_s costs one more D x D float32).
 *
 * @param means C x D class means
 * @param precision D x D precision (inverse shrunk tied covariance)
 * @param featureDim D >= 1
 * @param classes C >= 1
 * @param shrinkage the shrinkage weight the precision was fitted with, in [0, 1]
 * @param fittedOn training items used (a non-negative integer)
 * @throws {ShapeError} when D or C is not a positive integer or a length does not match.
 * @throws {InputError} for a non-finite value, a shrinkage outside [0, 1] or a bad `fittedOn`.
 * @example
 * ```ts
 * const stats = mahalanobisStatistics(new Float32Array([0, 0, 4, 0]), new Float32Array([1, 0, 0, 1]), 2, 2, 0, 100)
 * mahalanobisScore([3, 0], stats) // 1 (squared distance to the class mean [4, 0])
 * ```
 */
export function mahalanobisStatistics(
  means: Float32Array,
  precision: Float32Array,
  featureDim: number,
  classes: number,
  shrinkage: number,
  fittedOn: number,
): MahalanobisStatistics {
  const d = featureDim
  if (!Number.isInteger(d) || d < 1 || !Number.isInteger(classes) || classes < 1) {
    throw new ShapeError('mahalanobis statistics', 'featureDim and classes positive integers', `${featureDim} and ${classes}`)
  }
  if (means.length !== classes * d) throw new ShapeError('mahalanobis means', `C x D = ${classes * d} values`, `${means.length} values`)
  if (precision.length !== d * d) throw new ShapeError('mahalanobis precision', `D x D = ${d * d} values`, `${precision.length} values`)
  assertFinite('mahalanobis means', means)
  assertFinite('mahalanobis precision', precision)
  if (!(shrinkage >= 0 && shrinkage <= 1)) throw new InputError(`mahalanobis shrinkage must be in [0, 1], got ${shrinkage}`, { shrinkage })
  if (!Number.isInteger(fittedOn) || fittedOn < 0) throw new InputError(`mahalanobis fittedOn must be a non-negative integer, got ${fittedOn}`, { fittedOn })

  const symmetricPrecision = symmetricPart(precision, d)
  const center = new Float64Array(d)
  for (let c = 0; c < classes; c++) for (let k = 0; k < d; k++) center[k] = (center[k] as number) + (means[c * d + k] as number)
  for (let k = 0; k < d; k++) center[k] = (center[k] as number) / classes

  const precisionTimesCenteredMeans = new Float64Array(classes * d)
  const halfCenteredMeanNorms = new Float64Array(classes)
  const centered = new Float64Array(d)
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < d; k++) centered[k] = (means[c * d + k] as number) - (center[k] as number)
    let norm = 0
    for (let a = 0; a < d; a++) {
      let q = 0
      for (let b = 0; b < d; b++) q += (symmetricPrecision[a * d + b] as number) * (centered[b] as number)
      precisionTimesCenteredMeans[c * d + a] = q
      norm += (centered[a] as number) * q
    }
    halfCenteredMeanNorms[c] = 0.5 * norm
  }
  return { featureDim: d, classes, means, precision, shrinkage, fittedOn, symmetricPrecision, center, precisionTimesCenteredMeans, halfCenteredMeanNorms }
}

/** `precision` itself when exactly symmetric, else a new float32 (P + P^T) / 2. */
function symmetricPart(precision: Float32Array, d: number): Float32Array {
  let symmetric = true
  for (let a = 0; a < d && symmetric; a++) for (let b = a + 1; b < d; b++) if (precision[a * d + b] !== precision[b * d + a]) symmetric = false
  if (symmetric) return precision
  const out = new Float32Array(d * d)
  for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) out[a * d + b] = 0.5 * ((precision[a * d + b] as number) + (precision[b * d + a] as number))
  return out
}

function assertFinite(what: string, values: Float32Array): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InputError(`${what}: value ${i} is ${values[i]}`, { index: i })
  }
}
