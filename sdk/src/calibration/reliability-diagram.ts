import { OptionError } from '../errors.js'
import type { Matrix } from '../math/matrix.js'
import { assertBinCount } from './assert-inputs.js'
import { topLabelPredictions } from './top-label.js'

/** How confidence bins are laid out: `equal-width` splits [0, 1] evenly; `equal-mass` puts (about) the same number of items in each. */
export type Binning = 'equal-width' | 'equal-mass'

/** Options of `reliabilityDiagram`. */
export interface ReliabilityOptions {
  /** Number of bins, an integer >= 1 (default 15). */
  readonly bins?: number
  /** Bin layout (default `equal-width`). */
  readonly binning?: Binning
}

/** One confidence bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower edge (inclusive). */
  readonly lower: number
  /** Upper edge (exclusive, except for the last bin, which includes 1). */
  readonly upper: number
  /** Items whose confidence falls in the bin (0 for an empty bin). */
  readonly count: number
  /** Mean confidence (max probability) of the bin's items, in [0, 1]; 0 when `count` is 0. */
  readonly confidence: number
  /** Fraction of the bin's items predicted correctly, in [0, 1]; 0 when `count` is 0. */
  readonly accuracy: number
}

/**
 * Reliability diagram (DeGroot and Fienberg 1983; Guo et al. 2017): items binned by top-label
 * confidence (max probability), with each bin's mean confidence and accuracy. A calibrated model
 * has accuracy = confidence in every bin. ECE, adaptive ECE and MCE are computed from these bins.
 *
 * Bins are [lower, upper) with edges e_0 = 0 < ... <= e_B = 1; the last bin is [e_{B-1}, 1], so an
 * item whose confidence sits exactly on an edge goes to the upper bin, and confidence 1 goes to
 * the last bin. Edges: `equal-width` e_b = b / B; `equal-mass` e_b = the confidence of rank
 * floor(b N / B) in ascending order (b = 1 .. B-1), so without ties bin b holds the items of ranks
 * floor(b N / B) .. floor((b + 1) N / B) - 1; tied confidences always share a bin (the one above
 * the edge they sit on), which can leave bins below them smaller or empty. Empty bins are reported
 * with count 0.
 *
 * @param probabilities items x classes, each value in [0, 1]
 * @param labels integer class id per item
 * @throws {ShapeError}, {InputError} for invalid inputs; {OptionError} for a bad `bins` or `binning`.
 * @example
 * ```ts
 * const bins = reliabilityDiagram(matrixFromRows([[0.9, 0.1], [0.3, 0.7]]), [0, 0], { bins: 2 })
 * // [{ lower: 0, upper: 0.5, count: 0, ... }, { lower: 0.5, upper: 1, count: 2, confidence: 0.8, accuracy: 0.5 }]
 * ```
 */
export function reliabilityDiagram(probabilities: Matrix, labels: ArrayLike<number>, options: ReliabilityOptions = {}): ReliabilityBin[] {
  const { bins = 15, binning = 'equal-width' } = options
  assertBinCount(bins)
  if (binning !== 'equal-width' && binning !== 'equal-mass') {
    throw new OptionError('binning', `must be 'equal-width' or 'equal-mass', got ${String(binning)}`)
  }
  const { confidence, correct } = topLabelPredictions(probabilities, labels)
  const edges = binning === 'equal-width' ? equalWidthEdges(bins) : equalMassEdges(confidence, bins)
  const count = new Float64Array(bins)
  const confidenceSum = new Float64Array(bins)
  const correctSum = new Float64Array(bins)
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i] as number
    const b = binOf(edges, c)
    count[b] = (count[b] as number) + 1
    confidenceSum[b] = (confidenceSum[b] as number) + c
    correctSum[b] = (correctSum[b] as number) + (correct[i] as number)
  }
  return Array.from({ length: bins }, (_, b) => {
    const n = count[b] as number
    return {
      lower: edges[b] as number,
      upper: edges[b + 1] as number,
      count: n,
      confidence: n > 0 ? (confidenceSum[b] as number) / n : 0,
      accuracy: n > 0 ? (correctSum[b] as number) / n : 0,
    }
  })
}

function equalWidthEdges(bins: number): Float64Array {
  const edges = new Float64Array(bins + 1)
  for (let b = 0; b <= bins; b++) edges[b] = b / bins
  return edges
}

function equalMassEdges(confidence: Float64Array, bins: number): Float64Array {
  const sorted = Float64Array.from(confidence).sort()
  const n = sorted.length
  const edges = new Float64Array(bins + 1)
  for (let b = 1; b < bins; b++) edges[b] = sorted[Math.floor((b * n) / bins)] as number
  edges[bins] = 1
  return edges
}

/** The largest b in [0, B - 1] with edges[b] <= c (edges non-decreasing, edges[0] = 0 <= c). */
function binOf(edges: Float64Array, c: number): number {
  let lo = 0
  let hi = edges.length - 2
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if ((edges[mid] as number) <= c) lo = mid
    else hi = mid - 1
  }
  return lo
}
