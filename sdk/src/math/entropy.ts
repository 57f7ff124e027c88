import { logSoftmax } from './softmax.js'

/**
 * Shannon entropy H[p] = -sum_j p_j ln p_j in nats, with 0 ln 0 = 0. Range [0, ln C].
 *
 * @param probabilities a probability vector (non-negative, summing to 1)
 * @example
 * ```ts
 * entropy([0.5, 0.5]) // Math.LN2
 * ```
 */
export function entropy(probabilities: ArrayLike<number>): number {
  let h = 0
  for (let j = 0; j < probabilities.length; j++) {
    const p = probabilities[j] as number
    if (p > 0) h -= p * Math.log(p)
  }
  return h
}

/**
 * Entropy of softmax(z / T) in nats, from logits, stable for any magnitude:
 * H = -sum_j p_j log p_j with log p computed as log-softmax.
 *
 * @example
 * ```ts
 * entropyFromLogits([1e4, 0]) // 0 (no NaN from 0 * -Infinity)
 * ```
 */
export function entropyFromLogits(logits: ArrayLike<number>, temperature = 1): number {
  const logP = logSoftmax(logits, temperature)
  let h = 0
  for (const lp of logP) {
    if (lp > -Infinity) h -= Math.exp(lp) * lp
  }
  return h
}
