// The shared dropout mask generator (sdk/src/masks/dropout-mask.ts, docs/format.md "Dropout masks"),
// four samples at a time in i32x4 lanes, turned into "mask patterns". Keep/drop decisions are
// bit-identical to `isKept`:
//   mix32(x): x ^= x >>> 16; x *= 0x85ebca6b; x ^= x >>> 13; x *= 0xc2b2ae35; x ^= x >>> 16
//   sampleKey(k, s) = mix32(mix32(k ^ 0x5bd1e995) + (s + 1) * 0x9e3779b9)
//   featureHash(key, d) = mix32(key ^ (d + 1) * 0x85ebca77); kept iff featureHash >>> 8 >= threshold
//
// Samples go in blocks of 4. In block k, feature d has the 4-bit pattern
//   pattern(d) = sum_l [sample 4k + l keeps d] << l   (samples >= S never keep anything),
// the same for every item because masks do not depend on the item. Features are grouped by pattern
// (a counting sort), so that the head can sum h_d W_d once per group and build each sample's logits
// from the 8 groups whose pattern contains it (see pattern-partials.ts, combine-samples.ts).

/** Entries of the group table of one block: 17 i32 (group p is order[starts[p] .. starts[p + 1])). */
export const GROUP_STARTS: i32 = 17

// @ts-ignore: decorator
@inline function mix32(x: u32): u32 {
  x ^= x >>> 16
  x *= 0x85ebca6b
  x ^= x >>> 13
  x *= 0xc2b2ae35
  x ^= x >>> 16
  return x
}

// @ts-ignore: decorator
@inline export function mix32Lanes(x: v128): v128 {
  x = v128.xor(x, i32x4.shr_u(x, 16))
  x = i32x4.mul(x, i32x4.splat(0x85ebca6b))
  x = v128.xor(x, i32x4.shr_u(x, 13))
  x = i32x4.mul(x, i32x4.splat(0xc2b2ae35))
  return v128.xor(x, i32x4.shr_u(x, 16))
}

/** The per-(seed, sample) key, as `sampleKey` in the TypeScript generator. */
// @ts-ignore: decorator
@inline export function sampleKey(seed: u32, sample: u32): u32 {
  return mix32(mix32(seed ^ 0x5bd1e995) + (sample + 1) * 0x9e3779b9)
}

/** All-ones lanes l < remaining (all four when remaining >= 4), zero lanes elsewhere. */
// @ts-ignore: decorator
@inline export function validLanes(remaining: i32): v128 {
  return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(remaining))
}

/**
 * Groups the features of every block of 4 samples by mask pattern. Block k writes D feature indices
 * (i32, ascending within a group) at `order + k * D * 4` and its 17 group starts at
 * `starts + k * 17 * 4`. `patterns` is D bytes of scratch. With S = 0 one block is written with every
 * feature in group 0 (the deterministic head needs only the sum over all features).
 */
export function buildPatternGroups(order: usize, starts: usize, patterns: usize, seed: u32, samples: i32, features: i32, threshold: i32): void {
  if (samples == 0) {
    store<i32>(starts, 0)
    for (let p = 1; p < GROUP_STARTS; p++) store<i32>(starts + (<usize>p << 2), features)
    for (let d = 0; d < features; d++) store<i32>(order + (<usize>d << 2), d)
    return
  }
  const blocks = (samples + 3) >> 2
  const thresholdLanes = i32x4.splat(threshold)
  for (let block = 0; block < blocks; block++) {
    const first = <u32>(block << 2)
    let keys = i32x4.splat(sampleKey(seed, first))
    keys = i32x4.replace_lane(keys, 1, sampleKey(seed, first + 1))
    keys = i32x4.replace_lane(keys, 2, sampleKey(seed, first + 2))
    keys = i32x4.replace_lane(keys, 3, sampleKey(seed, first + 3))
    const valid = validLanes(samples - (block << 2))
    const blockStarts = starts + ((<usize>block * GROUP_STARTS) << 2)
    memory.fill(blockStarts, 0, GROUP_STARTS << 2)
    for (let d = 0; d < features; d++) {
      const hash = mix32Lanes(v128.xor(keys, i32x4.splat(<u32>(d + 1) * 0x85ebca77)))
      const kept = v128.and(i32x4.ge_s(i32x4.shr_u(hash, 8), thresholdLanes), valid)
      const pattern = i32x4.bitmask(kept)
      store<u8>(patterns + d, <u8>pattern)
      const count = blockStarts + ((<usize>pattern + 1) << 2)
      store<i32>(count, load<i32>(count) + 1)
    }
    for (let p = 1; p < GROUP_STARTS; p++) {
      const at = blockStarts + (<usize>p << 2)
      store<i32>(at, load<i32>(at) + load<i32>(at - 4)) // starts[p] = starts[p - 1] + count of group p - 1
    }
    // place each feature at the next free slot of its group; the slots advance in `starts`, so
    // afterwards starts[p] = old starts[p + 1]: shift back by rebuilding from the group ends.
    const blockOrder = order + ((<usize>block * features) << 2)
    for (let d = 0; d < features; d++) {
      const at = blockStarts + (<usize>load<u8>(patterns + d) << 2)
      const slot = load<i32>(at)
      store<i32>(blockOrder + (<usize>slot << 2), d)
      store<i32>(at, slot + 1)
    }
    for (let p = GROUP_STARTS - 1; p > 0; p--) store<i32>(blockStarts + (<usize>p << 2), load<i32>(blockStarts + (<usize>(p - 1) << 2)))
    store<i32>(blockStarts, 0)
  }
}
