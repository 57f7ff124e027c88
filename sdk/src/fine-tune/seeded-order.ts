import { deriveSeed, featureHash, sampleKey } from '../masks/dropout-mask.js'

/** Stream numbers of fine-tuning's random orders, far from the epoch numbers used for mask seeds. */
export const SHUFFLE_STREAM = 0x7ff00001
export const SPLIT_STREAM = 0x7ff00002

/**
 * A seeded permutation of `values` (Fisher-Yates), from the shared counter-based hash: step i draws
 * `featureHash(sampleKey(deriveSeed(seed, stream), round), i)`, so every runtime gives the same order.
 *
 * @param stream which random order (e.g. {@link SHUFFLE_STREAM})
 * @param round which draw of that order (e.g. the epoch)
 * @example
 * ```ts
 * const order = seededPermutation(Int32Array.of(0, 1, 2, 3), 7, SHUFFLE_STREAM, epoch)
 * ```
 */
export function seededPermutation(values: Int32Array, seed: number, stream: number, round: number): Int32Array {
  const out = values.slice()
  const key = sampleKey(deriveSeed(seed, stream), round)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor((featureHash(key, i) / 2 ** 32) * (i + 1))
    const t = out[i] as number
    out[i] = out[j] as number
    out[j] = t
  }
  return out
}

/**
 * Splits examples into a training and a held-out part, class by class: of the n_c examples of a
 * class, round(n_c * fraction) go to the held-out part (at most n_c - 1, so each class present keeps
 * one training example), chosen by a seeded permutation. Both parts come back sorted.
 *
 * @example
 * ```ts
 * splitExamples(Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1, 1), 2, 0.25, 0) // 1 of class 0, 1 of class 1 held out
 * ```
 */
export function splitExamples(labels: Int32Array, classes: number, fraction: number, seed: number): { train: Int32Array; heldOut: Int32Array } {
  const train: number[] = []
  const heldOut: number[] = []
  const byClass: number[][] = Array.from({ length: classes }, () => [])
  labels.forEach((y, i) => byClass[y]?.push(i))
  for (let c = 0; c < classes; c++) {
    const members = Int32Array.from(byClass[c] ?? [])
    if (members.length === 0) continue
    const held = Math.min(members.length - 1, Math.round(members.length * fraction))
    const order = seededPermutation(members, seed, SPLIT_STREAM, c)
    heldOut.push(...order.subarray(0, held))
    train.push(...order.subarray(held))
  }
  return { train: Int32Array.from(train).sort(), heldOut: Int32Array.from(heldOut).sort() }
}

/**
 * Cross-fitting folds, stratified by class: each class's examples in a seeded order, dealt to the
 * folds in turn (so every fold holds about 1/K of each class). Returns K sorted index lists.
 *
 * @example
 * ```ts
 * foldExamples(Int32Array.from([0, 0, 1, 1]), 2, 2, 7) // two folds, one example of each class each
 * ```
 */
export function foldExamples(labels: Int32Array, classes: number, folds: number, seed: number): Int32Array[] {
  const out: number[][] = Array.from({ length: folds }, () => [])
  const byClass: number[][] = Array.from({ length: classes }, () => [])
  labels.forEach((y, i) => byClass[y]?.push(i))
  let next = 0
  for (let c = 0; c < classes; c++) {
    const order = seededPermutation(Int32Array.from(byClass[c] ?? []), seed, SPLIT_STREAM, c)
    for (const e of order) out[next++ % folds]?.push(e)
  }
  return out.map((fold) => Int32Array.from(fold).sort())
}
