// A single-core f32x4 peak-FLOP/s probe for the benchmark (bench/head-kernel.bench.ts): CHAINS
// independent a = a * m + c chains (one mul and one add per step, like the head's GEMM), enough to
// hide the latency of both. Each step of the loop does CHAINS * 4 lanes * 2 = 8 * CHAINS FLOPs.

/** Runs `iterations` steps of 12 independent chains (96 FLOPs per step); returns a checksum. */
export function peak12(iterations: i32): f32 {
  const m = f32x4.splat(0.999999)
  const c = f32x4.splat(1e-6)
  let a0 = f32x4.splat(1), a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4)
  let a4 = f32x4.splat(5), a5 = f32x4.splat(6), a6 = f32x4.splat(7), a7 = f32x4.splat(8)
  let a8 = f32x4.splat(9), a9 = f32x4.splat(10), a10 = f32x4.splat(11), a11 = f32x4.splat(12)
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c)
    a1 = f32x4.add(f32x4.mul(a1, m), c)
    a2 = f32x4.add(f32x4.mul(a2, m), c)
    a3 = f32x4.add(f32x4.mul(a3, m), c)
    a4 = f32x4.add(f32x4.mul(a4, m), c)
    a5 = f32x4.add(f32x4.mul(a5, m), c)
    a6 = f32x4.add(f32x4.mul(a6, m), c)
    a7 = f32x4.add(f32x4.mul(a7, m), c)
    a8 = f32x4.add(f32x4.mul(a8, m), c)
    a9 = f32x4.add(f32x4.mul(a9, m), c)
    a10 = f32x4.add(f32x4.mul(a10, m), c)
    a11 = f32x4.add(f32x4.mul(a11, m), c)
  }
  const sum = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)))
  const total = f32x4.add(sum, f32x4.add(f32x4.add(a8, a9), f32x4.add(a10, a11)))
  return f32x4.extract_lane(total, 0) + f32x4.extract_lane(total, 1) + f32x4.extract_lane(total, 2) + f32x4.extract_lane(total, 3)
}

/** Runs `iterations` steps of 8 independent chains (64 FLOPs per step); returns a checksum. */
export function peak8(iterations: i32): f32 {
  const m = f32x4.splat(0.999999)
  const c = f32x4.splat(1e-6)
  let a0 = f32x4.splat(1), a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4)
  let a4 = f32x4.splat(5), a5 = f32x4.splat(6), a6 = f32x4.splat(7), a7 = f32x4.splat(8)
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), c)
    a1 = f32x4.add(f32x4.mul(a1, m), c)
    a2 = f32x4.add(f32x4.mul(a2, m), c)
    a3 = f32x4.add(f32x4.mul(a3, m), c)
    a4 = f32x4.add(f32x4.mul(a4, m), c)
    a5 = f32x4.add(f32x4.mul(a5, m), c)
    a6 = f32x4.add(f32x4.mul(a6, m), c)
    a7 = f32x4.add(f32x4.mul(a7, m), c)
  }
  const sum = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(a6, a7)))
  return f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3)
}
