import { logSumExp } from './log-sum-exp.js'
import { assertTemperature } from './temperature.js'

/**
 * softmax(z / T)_j = exp(z_j / T) / sum_k exp(z_k / T), computed in float64 with the max subtracted,
 * so large logits never overflow. The result sums to 1.
 *
 * @param logits one item's logits
 * @param temperature T > 0 (1 = plain softmax)
 * @param out optional array to write into (length = logits.length)
 * @throws {OptionError} for a temperature that is not finite and > 0.
 * @example
 * ```ts
 * softmax([2, 0], 2) // [0.731, 0.269] = softmax([1, 0])
 * ```
 */
export function softmax(logits: ArrayLike<number>, temperature = 1, out: Float64Array = new Float64Array(logits.length)): Float64Array {
  const logNormaliser = logSumExp(logits, 1 / checked(temperature))
  for (let j = 0; j < logits.length; j++) out[j] = Math.exp((logits[j] as number) / temperature - logNormaliser)
  return out
}

/**
 * log softmax(z / T)_j = z_j / T - logsumexp(z / T); exact where softmax underflows to 0.
 *
 * @example
 * ```ts
 * logSoftmax([0, -2000]) // [0, -2000], where log(softmax) would give -Infinity
 * ```
 */
export function logSoftmax(logits: ArrayLike<number>, temperature = 1, out: Float64Array = new Float64Array(logits.length)): Float64Array {
  const logNormaliser = logSumExp(logits, 1 / checked(temperature))
  for (let j = 0; j < logits.length; j++) out[j] = (logits[j] as number) / temperature - logNormaliser
  return out
}

function checked(temperature: number): number {
  assertTemperature(temperature)
  return temperature
}
