import { InputError, ShapeError } from '../../errors.js'
import { resolveShrinkage, shrinkCovariance, type ShrinkageOption } from './covariance-shrinkage.js'
import { mahalanobisStatistics, type MahalanobisStatistics } from './mahalanobis-statistics.js'
import { positiveDefiniteInverse } from './positive-definite-inverse.js'

/** Options of {@link MahalanobisAccumulator.finish}. */
export interface MahalanobisFitOptions {
  /** Shrinkage weight in [0, 1] or `'ledoit-wolf'` (default): Rao-Blackwellised Ledoit-Wolf, see `ledoitWolfShrinkage`. */
  readonly shrinkage?: ShrinkageOption
}

/**
 * Fits the Mahalanobis statistics of Lee et al. (NeurIPS 2018) chunk by chunk, so a large training
 * set never has to sit in memory: class means mu_c and the tied covariance
 * Sigma = (1/N) sum_i (h_i - mu_{y_i})(h_i - mu_{y_i})^T, all in float64.
 *
 * Stability: each chunk is reduced to per-class counts k_c, means b_c and the chunk's within-class
 * scatter sum_i (h_i - b_{y_i})(h_i - b_{y_i})^T (deviations from the chunk's own class means), and
 * merged with the running state by the pairwise update of Chan, Golub & LeVeque (1979):
 * scatter += chunk scatter + sum_c (n_c k_c / (n_c + k_c)) (b_c - mu_c)(b_c - mu_c)^T and
 * mu_c += (k_c / (n_c + k_c)) (b_c - mu_c). No raw second moments, so no catastrophic cancellation
 * for features far from the origin. Memory O(C D + D^2); time O(B D^2) per chunk of B items.
 *
 * @example
 * ```ts
 * const accumulator = new MahalanobisAccumulator(2, 2)
 * accumulator.add(new Float32Array([0, 1, 0, -1, 4, 1, 4, -1]), [0, 0, 1, 1])
 * const stats = accumulator.finish({ shrinkage: 0.5 })
 * mahalanobisScore([2, 0], stats)
 * ```
 */
export class MahalanobisAccumulator {
  readonly featureDim: number
  readonly classes: number
  private readonly counts: Float64Array
  private readonly runningMeans: Float64Array
  /** Upper triangle (row <= column) of the pooled within-class scatter, D x D row-major. */
  private readonly scatter: Float64Array

  /**
   * @param featureDim D >= 1, the length of a feature vector h
   * @param classes C >= 1
   * @throws {ShapeError} when D or C is not a positive integer.
   */
  constructor(featureDim: number, classes: number) {
    if (!Number.isInteger(featureDim) || featureDim < 1 || !Number.isInteger(classes) || classes < 1) {
      throw new ShapeError('mahalanobis accumulator', 'featureDim and classes positive integers', `${featureDim} and ${classes}`)
    }
    this.featureDim = featureDim
    this.classes = classes
    this.counts = new Float64Array(classes)
    this.runningMeans = new Float64Array(classes * featureDim)
    this.scatter = new Float64Array(featureDim * featureDim)
  }

  /** N, the number of items added so far. */
  get count(): number {
    return this.counts.reduce((a, b) => a + b, 0)
  }

  /**
   * Adds a chunk of B feature vectors (B x D row-major) with their class labels.
   *
   * @throws {ShapeError} when `features.length !== labels.length * D`.
   * @throws {InputError} for a label that is not an integer in [0, C) or a non-finite feature;
   *   the accumulator is unchanged then.
   */
  add(features: Float32Array, labels: ArrayLike<number>): void {
    const d = this.featureDim
    const items = labels.length
    if (features.length !== items * d) throw new ShapeError('features', `B x D = ${items} x ${d} values`, `${features.length} values`)
    const chunkCounts = new Float64Array(this.classes)
    for (let i = 0; i < items; i++) {
      const y = labels[i] as number
      if (!Number.isInteger(y) || y < 0 || y >= this.classes) {
        throw new InputError(`label ${i} is ${y}; labels must be integers in [0, ${this.classes})`, { index: i })
      }
      chunkCounts[y] = (chunkCounts[y] as number) + 1
    }
    for (let i = 0; i < features.length; i++) {
      if (!Number.isFinite(features[i])) throw new InputError(`feature ${i % d} of item ${Math.floor(i / d)} is ${features[i]}`, { index: i })
    }
    const chunkMeans = new Float64Array(this.classes * d)
    for (let i = 0; i < items; i++) {
      const offset = (labels[i] as number) * d
      for (let k = 0; k < d; k++) chunkMeans[offset + k] = (chunkMeans[offset + k] as number) + (features[i * d + k] as number)
    }
    for (let c = 0; c < this.classes; c++) {
      const k = chunkCounts[c] as number
      if (k > 0) for (let j = c * d; j < (c + 1) * d; j++) chunkMeans[j] = (chunkMeans[j] as number) / k
    }
    const deviation = new Float64Array(d)
    for (let i = 0; i < items; i++) {
      const offset = (labels[i] as number) * d
      for (let k = 0; k < d; k++) deviation[k] = (features[i * d + k] as number) - (chunkMeans[offset + k] as number)
      this.addOuterProduct(deviation, 1)
    }
    for (let c = 0; c < this.classes; c++) {
      const k = chunkCounts[c] as number
      if (k === 0) continue
      const n = this.counts[c] as number
      for (let j = 0; j < d; j++) deviation[j] = (chunkMeans[c * d + j] as number) - (this.runningMeans[c * d + j] as number)
      if (n > 0) this.addOuterProduct(deviation, (n * k) / (n + k))
      const step = k / (n + k)
      for (let j = 0; j < d; j++) this.runningMeans[c * d + j] = (this.runningMeans[c * d + j] as number) + step * (deviation[j] as number)
      this.counts[c] = n + k
    }
  }

  /** Items added per class so far (a copy). */
  classCounts(): Float64Array {
    return Float64Array.from(this.counts)
  }

  /** The class means mu_c so far, C x D float64 (a copy; rows of classes without data are 0). */
  means(): Float64Array {
    return Float64Array.from(this.runningMeans)
  }

  /**
   * The unshrunk tied covariance Sigma = scatter / N, D x D float64, symmetric.
   *
   * @throws {InputError} when nothing was added.
   */
  covariance(): Float64Array {
    const total = this.count
    if (total === 0) throw new InputError('the Mahalanobis accumulator has no data')
    const d = this.featureDim
    const covariance = new Float64Array(d * d)
    for (let a = 0; a < d; a++) {
      for (let b = a; b < d; b++) {
        const value = (this.scatter[a * d + b] as number) / total
        covariance[a * d + b] = value
        covariance[b * d + a] = value
      }
    }
    return covariance
  }

  /**
   * Shrinks the tied covariance toward (tr(Sigma) / D) I, inverts it by Cholesky (float64) and returns
   * the statistics (means and precision rounded to float32, as a bundle stores them, with the
   * precomputed parts built from those float32 values). Does not change the accumulator.
   *
   * @throws {InputError} naming the class when a class has no data, or when the shrunk covariance is
   *   not positive definite (e.g. shrinkage 0 with fewer than D + C items, or all features equal).
   * @throws {OptionError} (`shrinkage`) for a weight outside [0, 1].
   */
  finish(options: MahalanobisFitOptions = {}): MahalanobisStatistics {
    const d = this.featureDim
    for (let c = 0; c < this.classes; c++) {
      if (this.counts[c] === 0) throw new InputError(`class ${c} has no training features; every class needs a mean`, { class: c })
    }
    const total = this.count
    const covariance = this.covariance()
    const shrinkage = resolveShrinkage(options.shrinkage ?? 'ledoit-wolf', covariance, d, total - this.classes)
    const precision = positiveDefiniteInverse(shrinkCovariance(covariance, d, shrinkage), d, `shrunk tied covariance (shrinkage ${shrinkage})`)
    return mahalanobisStatistics(Float32Array.from(this.runningMeans), Float32Array.from(precision), d, this.classes, shrinkage, total)
  }

  /** scatter (upper triangle) += weight * v v^T */
  private addOuterProduct(v: Float64Array, weight: number): void {
    const d = this.featureDim
    const scatter = this.scatter
    for (let a = 0; a < d; a++) {
      const va = weight * (v[a] as number)
      if (va === 0) continue
      const offset = a * d
      for (let b = a; b < d; b++) scatter[offset + b] = (scatter[offset + b] as number) + va * (v[b] as number)
    }
  }
}
