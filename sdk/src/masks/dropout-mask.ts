import { OptionError } from '../errors.js'

/**
 * The dropout mask generator every part of sd-dropout shares (trainer, SDK TypeScript reference,
 * wasm SIMD kernel, worker). It is counter-based: whether feature `d` is kept in dropout sample `s`
 * under seed `k` is a pure function of the three integers, so
 * - the same call gives the same masks on every runtime (integer arithmetic only, no float RNG state);
 * - an item gets the same masks wherever it sits in a batch (masks do not depend on the item index);
 * - any (sample, feature) can be computed in any order, four samples at once in SIMD.
 *
 * Hash: `mix32` is the 32-bit MurmurHash3 finaliser (a bijection with full avalanche);
 * `sampleKey(k, s) = mix32(mix32(k ^ 0x5bd1e995) + (s + 1) * 0x9e3779b9)` and
 * `dropoutHash(k, s, d) = mix32(sampleKey(k, s) ^ (d + 1) * 0x85ebca77)` (all mod 2^32).
 * Feature `d` is kept iff `dropoutHash >>> 8` (a uniform 24-bit integer) >= `round(p * 2^24)`,
 * so the keep probability is 1 - p to within 3e-8. Kept features are scaled by 1 / (1 - p)
 * (inverted dropout), as in DESIGN section 2: z_s = b + (h * m_s / (1 - p)) W.
 *
 * See docs/format.md ("Dropout masks") for the normative definition other implementations follow.
 */

/** MurmurHash3's 32-bit finaliser; returns an unsigned 32-bit integer. */
export function mix32(x: number): number {
  let h = x | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/**
 * The per-(seed, sample) key; compute it once per sample and reuse it for every feature.
 *
 * @example
 * ```ts
 * const key = sampleKey(7, 0)
 * ```
 */
export function sampleKey(seed: number, sample: number): number {
  return mix32((mix32(seed ^ 0x5bd1e995) + Math.imul((sample + 1) | 0, 0x9e3779b9)) | 0)
}

/** The 32-bit hash of (seed, sample, feature), given the sample's key. */
export function featureHash(key: number, feature: number): number {
  return mix32(key ^ Math.imul((feature + 1) | 0, 0x85ebca77))
}

/**
 * The 32-bit hash of (seed, sample, feature).
 *
 * @example
 * ```ts
 * dropoutHash(0, 0, 0) === dropoutHash(0, 0, 0) // true, on every runtime
 * ```
 */
export function dropoutHash(seed: number, sample: number, feature: number): number {
  return featureHash(sampleKey(seed, sample), feature)
}

/**
 * The integer threshold for drop rate `p`: a feature is dropped iff `hash >>> 8 < dropThreshold(p)`.
 *
 * @throws {OptionError} unless 0 <= p < 1.
 */
export function dropThreshold(rate: number): number {
  assertDropoutRate(rate)
  return Math.round(rate * 0x1000000)
}

/**
 * Whether feature `feature` survives dropout sample `sample` under `seed` at drop rate `rate`.
 *
 * @example
 * ```ts
 * isKept(7, 3, 100, 0.5) // true or false, the same everywhere
 * ```
 */
export function isKept(seed: number, sample: number, feature: number, rate: number): boolean {
  return dropoutHash(seed, sample, feature) >>> 8 >= dropThreshold(rate)
}

/**
 * The scaled inverted-dropout mask of one sample over `features` features: entry d is
 * `1 / (1 - rate)` when kept and 0 when dropped.
 *
 * @param seed unsigned 32-bit seed (integers are taken mod 2^32)
 * @param sample index of the MC-dropout sample (0-based)
 * @param features D, the feature count
 * @param rate drop probability p in [0, 1)
 * @param out optional array of length `features` to fill
 * @example
 * ```ts
 * const m = dropoutMask(0, 0, 256, 0.5) // 256 values, each 0 or 2
 * ```
 */
export function dropoutMask(seed: number, sample: number, features: number, rate: number, out: Float32Array = new Float32Array(features)): Float32Array {
  const threshold = dropThreshold(rate)
  const scale = 1 / (1 - rate)
  const key = sampleKey(seed, sample)
  for (let d = 0; d < features; d++) out[d] = featureHash(key, d) >>> 8 >= threshold ? scale : 0
  return out
}

/**
 * Derives an independent seed for a sub-stream (e.g. one training step): `mix32(seed ^ mix32(stream + 0x632be5ab))`.
 *
 * @example
 * ```ts
 * const stepSeed = deriveSeed(runSeed, step)
 * ```
 */
export function deriveSeed(seed: number, stream: number): number {
  return mix32(seed ^ mix32((stream + 0x632be5ab) | 0))
}

/** @throws {OptionError} unless `rate` is a number in [0, 1). */
export function assertDropoutRate(rate: number, option = 'dropoutRate'): void {
  if (!(rate >= 0 && rate < 1)) throw new OptionError(option, `must be in [0, 1), got ${rate}`)
}
