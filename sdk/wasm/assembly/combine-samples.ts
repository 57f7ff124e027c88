// Builds logits from the pattern partials of pattern-partials.ts (P[p][item][c], p = 0 .. 15):
// - sample l of the block (bit l of the pattern): z_l = b + scale * sum over patterns p with bit l of P[p]
//   (inverted dropout: every kept feature is scaled by 1 / (1 - p), so the scale factors out);
// - the deterministic logits: z0 = b + sum over all 16 patterns of P[p] (the groups partition the features).
// Both are written transposed for softmax-lanes.ts: z[c] is a v128 whose 4 lanes are the 4 samples
// (or the 4 items, for z0).

/** Transposes the 4 x 4 block (rows r0..r3) and stores its columns at out, out + 16, out + 32, out + 48. */
// @ts-ignore: decorator
@inline function storeTransposed(out: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5)
  const t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7)
  const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5)
  const t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7)
  v128.store(out, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5), 0)
  v128.store(out, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7), 16)
  v128.store(out, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5), 32)
  v128.store(out, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7), 48)
}

/**
 * The 4 dropout samples of one item: z[c] (v128 at `z + c * 16`, lanes = samples) for c < Cp, from
 * the item's partials (`partials + (item * Cp) * 4`, pattern stride 4 * Cp floats), the padded bias
 * and the dropout scale 1 / (1 - p).
 */
export function combineSamples(partials: usize, item: i32, paddedClasses: i32, bias: usize, scale: f32, z: usize): void {
  const stride = <usize>paddedClasses << 4 // bytes from P[p][item] to P[p + 1][item]
  const scaleLanes = f32x4.splat(scale)
  let base = partials + ((<usize>item * paddedClasses) << 2)
  for (let c = 0; c < paddedClasses; c += 4) {
    // A_h, B_h: patterns 4h + {1, 3} and 4h + {2, 3} (samples 0 and 1); T_h: the whole group 4h .. 4h + 3
    const p1 = v128.load(base + stride)
    const p3 = v128.load(base + 3 * stride)
    let sample0 = f32x4.add(p1, p3)
    let sample1 = f32x4.add(v128.load(base + 2 * stride), p3)
    const total1 = groupTotal(base + 4 * stride, stride)
    const total2 = groupTotal(base + 8 * stride, stride)
    const total3 = groupTotal(base + 12 * stride, stride)
    sample0 = f32x4.add(sample0, f32x4.add(f32x4.add(v128.load(base + 5 * stride), v128.load(base + 7 * stride)), f32x4.add(v128.load(base + 9 * stride), v128.load(base + 11 * stride))))
    sample0 = f32x4.add(sample0, f32x4.add(v128.load(base + 13 * stride), v128.load(base + 15 * stride)))
    sample1 = f32x4.add(sample1, f32x4.add(f32x4.add(v128.load(base + 6 * stride), v128.load(base + 7 * stride)), f32x4.add(v128.load(base + 10 * stride), v128.load(base + 11 * stride))))
    sample1 = f32x4.add(sample1, f32x4.add(v128.load(base + 14 * stride), v128.load(base + 15 * stride)))
    const b = v128.load(bias + (<usize>c << 2))
    storeTransposed(
      z + (<usize>c << 4),
      f32x4.add(b, f32x4.mul(scaleLanes, sample0)),
      f32x4.add(b, f32x4.mul(scaleLanes, sample1)),
      f32x4.add(b, f32x4.mul(scaleLanes, f32x4.add(total1, total3))),
      f32x4.add(b, f32x4.mul(scaleLanes, f32x4.add(total2, total3))),
    )
    base += 16
  }
}

/**
 * The deterministic logits of the 4 items of a group: z[c] (lanes = items) = b[c] + sum over the
 * 16 patterns of P[p][item][c].
 */
export function combineDeterministic(partials: usize, paddedClasses: i32, bias: usize, z: usize): void {
  const stride = <usize>paddedClasses << 4
  const itemStride = <usize>paddedClasses << 2
  for (let c = 0; c < paddedClasses; c += 4) {
    const at = partials + (<usize>c << 2)
    const b = v128.load(bias + (<usize>c << 2))
    storeTransposed(
      z + (<usize>c << 4),
      f32x4.add(b, allPatterns(at, stride)),
      f32x4.add(b, allPatterns(at + itemStride, stride)),
      f32x4.add(b, allPatterns(at + 2 * itemStride, stride)),
      f32x4.add(b, allPatterns(at + 3 * itemStride, stride)),
    )
  }
}

// @ts-ignore: decorator
@inline function groupTotal(at: usize, stride: usize): v128 {
  return f32x4.add(f32x4.add(v128.load(at), v128.load(at + stride)), f32x4.add(v128.load(at + 2 * stride), v128.load(at + 3 * stride)))
}

// @ts-ignore: decorator
@inline function allPatterns(at: usize, stride: usize): v128 {
  const low = f32x4.add(groupTotal(at, stride), groupTotal(at + 4 * stride, stride))
  return f32x4.add(low, f32x4.add(groupTotal(at + 8 * stride, stride), groupTotal(at + 12 * stride, stride)))
}
