/**
 * The OOD scores of DESIGN section 2, by the names used everywhere (CLI flags, manifests, HTTP).
 * Every score is oriented so that HIGHER means MORE LIKELY out-of-distribution.
 *
 * - `msp`: 1 - max_j softmax(z / T_cal)_j (Hendrycks & Gimpel 2017)
 * - `max-logit`: -max_j z_j (Hendrycks et al. 2022)
 * - `energy`: -logsumexp(z), temperature 1, raw logits (Liu et al. 2020)
 * - `entropy`: H[softmax(z / T_cal)] in nats
 * - `mc-entropy`: H[pbar], pbar = mean_s softmax(z_s / T_cal) over S >= 2 MC-dropout samples
 * - `mutual-information`: H[pbar] - mean_s H[softmax(z_s / T_cal)], S >= 2
 * - `mahalanobis`: min_c (h - mu_c)^T Sigma^-1 (h - mu_c), tied shrunk covariance (Lee et al. 2018)
 */
export const OOD_SCORE_NAMES = ['msp', 'max-logit', 'energy', 'entropy', 'mc-entropy', 'mutual-information', 'mahalanobis'] as const

/** One of {@link OOD_SCORE_NAMES}. */
export type OodScoreName = (typeof OOD_SCORE_NAMES)[number]

/** Scores that need S >= 2 MC-dropout samples. */
export const MC_OOD_SCORE_NAMES = ['mc-entropy', 'mutual-information'] as const satisfies readonly OodScoreName[]

/**
 * Whether `name` is a known OOD score name (a type guard for parsing flags and bodies).
 *
 * @example
 * ```ts
 * isOodScoreName('energy') // true
 * ```
 */
export function isOodScoreName(name: unknown): name is OodScoreName {
  return typeof name === 'string' && (OOD_SCORE_NAMES as readonly string[]).includes(name)
}

/** Whether the score needs MC-dropout samples (S >= 2). */
export function isMonteCarloScore(name: OodScoreName): boolean {
  return (MC_OOD_SCORE_NAMES as readonly string[]).includes(name)
}
