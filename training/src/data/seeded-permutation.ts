import { deriveSeed } from '@sd-dropout/sdk'

/**
 * A seeded uniform random permutation of 0..n-1 (Fisher-Yates), driven by the counter-based hash
 * of the shared mask generator: the i-th draw is `deriveSeed(seed, i) / 2^32`. The same (n, seed)
 * gives the same permutation on every runtime, and the generator has no state to checkpoint.
 *
 * @param n number of items
 * @param seed unsigned 32-bit seed
 * @example
 * ```ts
 * seededPermutation(5, 1) // the same 5-permutation on every run
 * ```
 */
export function seededPermutation(n: number, seed: number): Int32Array {
  const order = new Int32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor((deriveSeed(seed, i) / 0x100000000) * (i + 1))
    const t = order[i] as number
    order[i] = order[j] as number
    order[j] = t
  }
  return order
}
