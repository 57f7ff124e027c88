import { logSoftmax } from './softmax.js'

/**
 * Kullback-Leibler divergence KL(a || b) = sum_j a_j ln(a_j / b_j) in nats (0 ln 0 = 0;
 * +Infinity where a_j > 0 and b_j = 0). Non-negative for probability vectors.
 *
 * @example
 * ```ts
 * klDivergence([1, 0], [0.5, 0.5]) // Math.LN2
 * ```
 */
export function klDivergence(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let kl = 0
  for (let j = 0; j < a.length; j++) {
    const p = a[j] as number
    if (p > 0) kl += p * (Math.log(p) - Math.log(b[j] as number))
  }
  return kl
}

/**
 * KL(softmax(za / T) || softmax(zb / T)) from logits, through log-softmax so it stays finite
 * where probabilities underflow. This is the per-item term of the SD-Dropout loss (DESIGN section 1).
 *
 * @example
 * ```ts
 * klDivergenceFromLogits([3, 0], [0, 3], 3)
 * ```
 */
export function klDivergenceFromLogits(za: ArrayLike<number>, zb: ArrayLike<number>, temperature = 1): number {
  const logA = logSoftmax(za, temperature)
  const logB = logSoftmax(zb, temperature)
  let kl = 0
  for (let j = 0; j < logA.length; j++) {
    const la = logA[j] as number
    if (la > -Infinity) kl += Math.exp(la) * (la - (logB[j] as number))
  }
  return kl
}
