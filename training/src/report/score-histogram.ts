/** A histogram of one OOD score over several sets, on shared bins. */
export interface ScoreHistogram {
  /** `linear`, or `log10` when the scores span orders of magnitude (positive scores only). */
  readonly scale: 'linear' | 'log10'
  /** Bin edges (bins + 1 values) in the plotted unit (log10 of the score for `log10`). */
  readonly edges: readonly number[]
  /** Per set: the fraction of its items in each bin (values outside the range are counted in the end bins). */
  readonly sets: readonly { readonly name: string; readonly fractions: readonly number[] }[]
}

/**
 * Histograms of a score on bins shared by all sets, for comparing in-distribution and OOD score
 * distributions. The range runs from the 0.5th to the 99.5th percentile of all values together
 * (values beyond it fall into the end bins), so one far outlier does not squash every bar. Scores
 * that are all positive and whose range covers more than two orders of magnitude are binned by
 * log10 (Mahalanobis distances of noise can be 10^4 times those of test digits).
 *
 * @example
 * ```ts
 * scoreHistogram([{ name: 'test', scores: testScores }, { name: 'noise', scores: noiseScores }], 30)
 * ```
 */
export function scoreHistogram(sets: readonly { readonly name: string; readonly scores: ArrayLike<number> }[], bins = 30): ScoreHistogram {
  const all = Float64Array.from(sets.flatMap((set) => Array.from(set.scores))).filter((v) => Number.isFinite(v)).sort()
  const lowest = all[0] ?? 0
  const highest = all[all.length - 1] ?? 1
  const scale = lowest > 0 && highest / lowest > 100 ? 'log10' : 'linear'
  const transform = (v: number) => (scale === 'log10' ? Math.log10(v) : v)
  const quantile = (q: number) => transform(all[Math.min(all.length - 1, Math.max(0, Math.floor(q * (all.length - 1))))] ?? 0)
  let low = quantile(0.005)
  let high = quantile(0.995)
  if (!(high > low)) {
    low -= 0.5
    high += 0.5
  }
  const width = (high - low) / bins
  const edges = Array.from({ length: bins + 1 }, (_, b) => low + b * width)
  return {
    scale,
    edges,
    sets: sets.map((set) => {
      const counts = new Array<number>(bins).fill(0)
      let n = 0
      for (const score of Array.from(set.scores)) {
        if (!Number.isFinite(score)) continue
        const b = Math.min(bins - 1, Math.max(0, Math.floor((transform(score) - low) / width)))
        counts[b] = (counts[b] as number) + 1
        n++
      }
      return { name: set.name, fractions: counts.map((c) => (n === 0 ? 0 : c / n)) }
    }),
  }
}
