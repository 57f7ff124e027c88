import { finiteLogitMaximum } from './finite-logit-maximum.js'

/**
 * `max-logit` OOD score: -max_j z_j (Hendrycks et al., "Scaling Out-of-Distribution Detection for
 * Real-World Settings", ICML 2022). Uses raw logits (no temperature: dividing by T_cal would only
 * rescale it). Higher = more likely out-of-distribution; unbounded, in logit units.
 *
 * @param logits one item's logits z (C >= 1 finite values)
 * @throws {ShapeError} / {InputError} for no logits / a non-finite logit.
 * @example
 * ```ts
 * maxLogitScore([2, 7, -1]) // -7
 * ```
 */
export function maxLogitScore(logits: ArrayLike<number>): number {
  return 0 - finiteLogitMaximum(logits) // 0 - x, not -x: a zero logit scores +0, not -0
}
