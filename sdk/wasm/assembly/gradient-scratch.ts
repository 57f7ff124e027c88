// The scratch memory of one `headGradient` call (head-gradient.ts) for D features and C classes.
// Classes are padded to Cp = 4 * ceil(C / 4) (lanes over classes; padded weights and biases are 0,
// so padded logits are 0 and every padded probability and gradient is masked to 0). Regions, all
// 16-byte aligned, f32:
//   weight D x Cp (W packed with padded rows) | bias Cp | weightGradient D x Cp | biasGradient Cp |
//   x1, x2 Dp each (h * m1, h * m2 of the current item; Dp = 4 * ceil(D / 4)) |
//   z 3 x Cp (z0, z1, z2) | q 2 x Cp (softmax(z1 / tau), softmax(z2 / tau)) | l 2 x Cp (their logs) |
//   g 3 x Cp (dL/dz0, dL/dz1, dL/dz2 of the current item, already divided by B)

/** n rounded up to a multiple of 4. */
// @ts-ignore: decorator
@inline export function paddedTo4(n: i32): i32 {
  return (n + 3) & ~3
}

/** The regions above as absolute pointers (one unmanaged instance, filled per call). */
@unmanaged export class GradientScratch {
  weight: usize = 0
  bias: usize = 0
  weightGradient: usize = 0
  biasGradient: usize = 0
  x1: usize = 0
  x2: usize = 0
  z: usize = 0
  q: usize = 0
  l: usize = 0
  g: usize = 0
  end: usize = 0
}

const layout = new GradientScratch()

/** Fills the layout for scratch memory at `base`, D features and C classes. */
export function layoutGradientScratch(base: usize, features: i32, classes: i32): GradientScratch {
  const cp = <usize>paddedTo4(classes) << 2
  const dp = <usize>paddedTo4(features) << 2
  const matrix = <usize>features * cp
  const s = layout
  s.weight = base
  s.bias = s.weight + matrix
  s.weightGradient = s.bias + cp
  s.biasGradient = s.weightGradient + matrix
  s.x1 = s.biasGradient + cp
  s.x2 = s.x1 + dp
  s.z = s.x2 + dp
  s.q = s.z + 3 * cp
  s.l = s.q + 2 * cp
  s.g = s.l + 2 * cp
  s.end = s.g + 3 * cp
  return s
}

/** Bytes of scratch memory `headGradient` needs for D features and C classes. */
export function gradientScratchBytes(features: i32, classes: i32): usize {
  return layoutGradientScratch(0, features, classes).end
}
