// The GEMM micro-kernel of the fused head. For a group of 4 items (their features transposed,
// x[d] = (h_0[d], h_1[d], h_2[d], h_3[d]) at `x + d * 16`) and one block of 4 samples, it computes
// for every mask pattern p the partial sums
//   P[p][item][c] = sum over d in group p of h_item[d] * W[d, c],
// 4 items x 8 classes per inner step in 8 f32x4 accumulators (lanes over classes; the 4 items'
// features are broadcast). Each sample's logits then need only the 8 partials whose pattern keeps
// it: 1 - p^4 of the D x C multiply-adds for 4 samples instead of 4 D x C (combine-samples.ts).
// Measured on V8: this 2-load + 4-broadcast + 16-arithmetic step runs at ~45 GFLOP/s on a core
// whose f32x4 mul+add peak is ~51; 8 broadcast loads of W per step (lanes over samples) spill
// registers under V8 and ran at 20 GFLOP/s.

import { GROUP_STARTS } from './mask-patterns'

/**
 * Writes P[p][item][c] (f32 at `partials + ((p * 4 + item) * Cp + c) * 4`) for patterns
 * p = firstPattern .. 15 and c < Cp, from the feature order and group starts of one block
 * (mask-patterns.ts) and the prepared weights (head-weights.ts).
 */
export function patternPartials(x: usize, order: usize, starts: usize, firstPattern: i32, features: i32, weights: usize, paddedClasses: i32, partials: usize): void {
  const row = <usize>paddedClasses << 2
  for (let block = 0; block < paddedClasses; block += 8) {
    const blockWeights = weights + ((<usize>block * features) << 2)
    for (let pattern = firstPattern; pattern < GROUP_STARTS - 1; pattern++) {
      const begin = order + (<usize>load<i32>(starts + (<usize>pattern << 2)) << 2)
      const end = order + (<usize>load<i32>(starts + (<usize>pattern << 2), 4) << 2)
      let a0 = f32x4.splat(0)
      let a1 = a0
      let a2 = a0
      let a3 = a0
      let a4 = a0
      let a5 = a0
      let a6 = a0
      let a7 = a0
      for (let at = begin; at < end; at += 4) {
        const d = <usize>load<u32>(at)
        const w = blockWeights + (d << 5)
        const h = x + (d << 4)
        const w0 = v128.load(w, 0)
        const w1 = v128.load(w, 16)
        const h0 = v128.load32_splat(h, 0)
        a0 = f32x4.add(a0, f32x4.mul(h0, w0))
        a1 = f32x4.add(a1, f32x4.mul(h0, w1))
        const h1 = v128.load32_splat(h, 4)
        a2 = f32x4.add(a2, f32x4.mul(h1, w0))
        a3 = f32x4.add(a3, f32x4.mul(h1, w1))
        const h2 = v128.load32_splat(h, 8)
        a4 = f32x4.add(a4, f32x4.mul(h2, w0))
        a5 = f32x4.add(a5, f32x4.mul(h2, w1))
        const h3 = v128.load32_splat(h, 12)
        a6 = f32x4.add(a6, f32x4.mul(h3, w0))
        a7 = f32x4.add(a7, f32x4.mul(h3, w1))
      }
      const out = partials + ((<usize>(pattern << 2) * paddedClasses + block) << 2)
      v128.store(out, a0, 0)
      v128.store(out, a1, 16)
      v128.store(out + row, a2, 0)
      v128.store(out + row, a3, 16)
      v128.store(out + 2 * row, a4, 0)
      v128.store(out + 2 * row, a5, 16)
      v128.store(out + 3 * row, a6, 0)
      v128.store(out + 3 * row, a7, 16)
    }
  }
}
