// Elementwise f32x4 math used by the softmax statistics: exp, natural log, horizontal sum.
// Polynomials after Cephes (S. L. Moshier) expf / logf: about 1 ulp over the ranges used here.

const LOG2E: f32 = 1.44269504088896341
const LN2_HIGH: f32 = 0.693359375
const LN2_LOW: f32 = -2.12194440e-4
const EXP_LOWEST: f32 = -87.33 // below this exp underflows the normal range: the result is 0
const SQRT_HALF: f32 = 0.707106781186547524

/**
 * exp(x) lanewise for x <= 0 (the softmax range after subtracting the maximum); 0 below -87.33;
 * NaN stays NaN. Relative error about 1e-7.
 */
// @ts-ignore: decorator
@inline export function expLanes(x: v128): v128 {
  const lowest = f32x4.splat(EXP_LOWEST)
  const clamped = f32x4.pmax(x, lowest) // pmax keeps a NaN x
  const n = f32x4.nearest(f32x4.mul(clamped, f32x4.splat(LOG2E)))
  let r = f32x4.sub(clamped, f32x4.mul(n, f32x4.splat(LN2_HIGH)))
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LOW)))
  const r2 = f32x4.mul(r, r)
  let y = f32x4.splat(1.9875691500e-4)
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1))
  y = f32x4.add(f32x4.add(f32x4.mul(y, r2), r), f32x4.splat(1))
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23)
  return v128.andnot(f32x4.mul(y, scale), f32x4.lt(x, lowest))
}

/**
 * ln(x) lanewise for positive normal x (callers clamp below 1e-30 first). Absolute error about 1e-7
 * near 1, relative error about 1e-7 elsewhere.
 */
// @ts-ignore: decorator
@inline export function logLanes(x: v128): v128 {
  // x = m * 2^e with m in [0.5, 1)
  let e = i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126))
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000))
  const small = f32x4.lt(m, f32x4.splat(SQRT_HALF))
  // m < sqrt(1/2): use 2m - 1 and e - 1, else m - 1, so that the argument lies in [-0.293, 0.414]
  const exponent = f32x4.sub(f32x4.convert_i32x4_s(e), v128.and(small, f32x4.splat(1)))
  m = f32x4.add(f32x4.sub(m, f32x4.splat(1)), v128.and(small, m))
  const z = f32x4.mul(m, m)
  let y = f32x4.splat(7.0376836292e-2)
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.1514610310e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.1676998740e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1))
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1))
  y = f32x4.mul(f32x4.mul(y, m), z)
  y = f32x4.add(y, f32x4.mul(exponent, f32x4.splat(LN2_LOW)))
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)))
  return f32x4.add(f32x4.add(m, y), f32x4.mul(exponent, f32x4.splat(LN2_HIGH)))
}

/** Sum of the four lanes. */
// @ts-ignore: decorator
@inline export function horizontalSum(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3))
}
