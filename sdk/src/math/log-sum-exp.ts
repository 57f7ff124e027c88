/**
 * log(sum_j exp(scale * x_j)), computed stably by subtracting the maximum first.
 * Empty input gives -Infinity (the log of an empty sum); any NaN gives NaN; a +Infinity entry gives +Infinity.
 *
 * @param values logits (any real numbers)
 * @param scale multiplies every value first; `1 / temperature` for a tempered softmax
 * @example
 * ```ts
 * logSumExp([1000, 1000]) // 1000 + Math.LN2, no overflow
 * ```
 */
export function logSumExp(values: ArrayLike<number>, scale = 1): number {
  const n = values.length
  let max = -Infinity
  for (let j = 0; j < n; j++) {
    const v = (values[j] as number) * scale
    if (Number.isNaN(v)) return Number.NaN
    if (v > max) max = v
  }
  if (max === -Infinity || max === Infinity) return max
  let sum = 0
  for (let j = 0; j < n; j++) sum += Math.exp((values[j] as number) * scale - max)
  return max + Math.log(sum)
}
