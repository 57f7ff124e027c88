import { InputError, ShapeError } from '../../errors.js'

/**
 * The largest logit of one item, checking on the way that there is at least one logit and that
 * every logit is finite (NaN or +-Infinity logits mean a broken model; no score is defined for them).
 * Every logit-based OOD score calls it first, so validation costs no extra pass.
 *
 * @param logits one item's logits z (C values)
 * @throws {ShapeError} when there are no logits.
 * @throws {InputError} when a logit is NaN or infinite.
 * @example
 * ```ts
 * finiteLogitMaximum([0.5, 3, -1]) // 3
 * ```
 */
export function finiteLogitMaximum(logits: ArrayLike<number>): number {
  if (logits.length < 1) throw new ShapeError('logits', 'C >= 1 values', '0 values')
  let max = -Infinity
  for (let j = 0; j < logits.length; j++) {
    const z = logits[j] as number
    if (!Number.isFinite(z)) throw new InputError(`logit ${j} is ${z}; OOD scores need finite logits`, { index: j })
    if (z > max) max = z
  }
  return max
}
