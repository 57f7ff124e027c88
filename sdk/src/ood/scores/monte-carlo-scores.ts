import type { UncertaintySummary } from '../../uncertainty/summarize-samples.js'

/**
 * `mc-entropy` OOD score: the predictive entropy H[pbar] in nats, pbar = mean_s softmax(z_s / T_cal)
 * over S MC-dropout samples (Gal & Ghahramani 2016). Higher = more likely out-of-distribution;
 * range [0, ln C]. Meaningful only for a summary of S >= 2 samples (`scoreItem` enforces it).
 *
 * @param summary the item's `summarizeSamples(...)` result
 * @example
 * ```ts
 * monteCarloEntropyScore(summarizeSamples([2, 0, 0, 2], 2, 2)) // ln 2
 * ```
 */
export function monteCarloEntropyScore(summary: UncertaintySummary): number {
  return summary.predictiveEntropy
}

/**
 * `mutual-information` OOD score: H[pbar] - mean_s H[softmax(z_s / T_cal)] in nats, the epistemic
 * part of the MC-dropout uncertainty (BALD, Houlsby et al. 2011). Higher = more likely
 * out-of-distribution; >= 0 up to rounding (returned as computed, not clamped, so it always equals
 * `summary.mutualInformation`). Meaningful only for S >= 2 samples.
 *
 * @param summary the item's `summarizeSamples(...)` result
 * @example
 * ```ts
 * mutualInformationScore(summarizeSamples([2, 0, 0, 2], 2, 2)) // ln 2 - H(softmax([2, 0])) = 0.3266
 * ```
 */
export function mutualInformationScore(summary: UncertaintySummary): number {
  return summary.mutualInformation
}
