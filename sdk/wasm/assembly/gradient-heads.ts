// The linear algebra of one SD-Dropout training step for one item, lanes over classes (W packed
// D x Cp, Cp a multiple of 4): the forward pass of the three heads
//   z0 = h W + b, z1 = x1 W + b, z2 = x2 W + b   (x_k = h * m_k)
// and the rank-3 gradient update dW += h^T g0 + x1^T g1 + x2^T g2, db += g0 + g1 + g2.
// Classes go in blocks of 8 (two f32x4 per branch: 6 accumulators for three branches) with a tail
// block of 4; each inner step broadcasts h_d, x1_d, x2_d and reads one row chunk of W (or dW).
// The one-branch variants serve lambda = 0 (plain cross-entropy: no masks, no z1, z2).

/** z0, z1, z2 (Cp floats each at z, z + Cp, z + 2 Cp) of one item. */
export function forwardThree(h: usize, x1: usize, x2: usize, features: i32, padded: i32, weight: usize, bias: usize, z: usize): void {
  const row = <usize>padded << 2
  const z1 = z + row
  const z2 = z1 + row
  let block = 0
  for (; block + 8 <= padded; block += 8) {
    const offset = <usize>block << 2
    let a0 = v128.load(bias + offset)
    let a1 = v128.load(bias + offset, 16)
    let b0 = a0
    let b1 = a1
    let c0 = a0
    let c1 = a1
    let w = weight + offset
    for (let d = 0; d < features; d++) {
      const at = <usize>d << 2
      const w0 = v128.load(w)
      const w1 = v128.load(w, 16)
      const hv = v128.load32_splat(h + at)
      const u = v128.load32_splat(x1 + at)
      const v = v128.load32_splat(x2 + at)
      a0 = f32x4.add(a0, f32x4.mul(hv, w0))
      a1 = f32x4.add(a1, f32x4.mul(hv, w1))
      b0 = f32x4.add(b0, f32x4.mul(u, w0))
      b1 = f32x4.add(b1, f32x4.mul(u, w1))
      c0 = f32x4.add(c0, f32x4.mul(v, w0))
      c1 = f32x4.add(c1, f32x4.mul(v, w1))
      w += row
    }
    v128.store(z + offset, a0)
    v128.store(z + offset, a1, 16)
    v128.store(z1 + offset, b0)
    v128.store(z1 + offset, b1, 16)
    v128.store(z2 + offset, c0)
    v128.store(z2 + offset, c1, 16)
  }
  if (block < padded) {
    const offset = <usize>block << 2
    let a = v128.load(bias + offset)
    let b = a
    let c = a
    let w = weight + offset
    for (let d = 0; d < features; d++) {
      const at = <usize>d << 2
      const w0 = v128.load(w)
      a = f32x4.add(a, f32x4.mul(v128.load32_splat(h + at), w0))
      b = f32x4.add(b, f32x4.mul(v128.load32_splat(x1 + at), w0))
      c = f32x4.add(c, f32x4.mul(v128.load32_splat(x2 + at), w0))
      w += row
    }
    v128.store(z + offset, a)
    v128.store(z1 + offset, b)
    v128.store(z2 + offset, c)
  }
}

/** z0 (Cp floats at z) of one item. */
export function forwardOne(h: usize, features: i32, padded: i32, weight: usize, bias: usize, z: usize): void {
  const row = <usize>padded << 2
  for (let block = 0; block < padded; block += 8) {
    const offset = <usize>block << 2
    const pair = block + 8 <= padded
    let a0 = v128.load(bias + offset)
    let a1 = pair ? v128.load(bias + offset, 16) : f32x4.splat(0)
    let w = weight + offset
    for (let d = 0; d < features; d++) {
      const hv = v128.load32_splat(h + (<usize>d << 2))
      a0 = f32x4.add(a0, f32x4.mul(hv, v128.load(w)))
      if (pair) a1 = f32x4.add(a1, f32x4.mul(hv, v128.load(w, 16)))
      w += row
    }
    v128.store(z + offset, a0)
    if (pair) v128.store(z + offset, a1, 16)
  }
}

/** dW += h^T g0 + x1^T g1 + x2^T g2 and db += g0 + g1 + g2 (g_k: Cp floats at g + k Cp). */
export function backwardThree(h: usize, x1: usize, x2: usize, features: i32, padded: i32, g: usize, weightGradient: usize, biasGradient: usize): void {
  const row = <usize>padded << 2
  const g1 = g + row
  const g2 = g1 + row
  for (let offset: usize = 0; offset < row; offset += 16) {
    const sum = f32x4.add(f32x4.add(v128.load(g + offset), v128.load(g1 + offset)), v128.load(g2 + offset))
    v128.store(biasGradient + offset, f32x4.add(v128.load(biasGradient + offset), sum))
  }
  let block = 0
  for (; block + 8 <= padded; block += 8) {
    const offset = <usize>block << 2
    const a0 = v128.load(g + offset)
    const a1 = v128.load(g + offset, 16)
    const b0 = v128.load(g1 + offset)
    const b1 = v128.load(g1 + offset, 16)
    const c0 = v128.load(g2 + offset)
    const c1 = v128.load(g2 + offset, 16)
    let out = weightGradient + offset
    for (let d = 0; d < features; d++) {
      const at = <usize>d << 2
      const hv = v128.load32_splat(h + at)
      const u = v128.load32_splat(x1 + at)
      const v = v128.load32_splat(x2 + at)
      const s0 = f32x4.add(f32x4.add(f32x4.mul(hv, a0), f32x4.mul(u, b0)), f32x4.mul(v, c0))
      const s1 = f32x4.add(f32x4.add(f32x4.mul(hv, a1), f32x4.mul(u, b1)), f32x4.mul(v, c1))
      v128.store(out, f32x4.add(v128.load(out), s0))
      v128.store(out, f32x4.add(v128.load(out, 16), s1), 16)
      out += row
    }
  }
  if (block < padded) {
    const offset = <usize>block << 2
    const a = v128.load(g + offset)
    const b = v128.load(g1 + offset)
    const c = v128.load(g2 + offset)
    let out = weightGradient + offset
    for (let d = 0; d < features; d++) {
      const at = <usize>d << 2
      const s = f32x4.add(f32x4.add(f32x4.mul(v128.load32_splat(h + at), a), f32x4.mul(v128.load32_splat(x1 + at), b)), f32x4.mul(v128.load32_splat(x2 + at), c))
      v128.store(out, f32x4.add(v128.load(out), s))
      out += row
    }
  }
}

/** dW += h^T g0 and db += g0. */
export function backwardOne(h: usize, features: i32, padded: i32, g: usize, weightGradient: usize, biasGradient: usize): void {
  const row = <usize>padded << 2
  for (let offset: usize = 0; offset < row; offset += 16) v128.store(biasGradient + offset, f32x4.add(v128.load(biasGradient + offset), v128.load(g + offset)))
  for (let offset: usize = 0; offset < row; offset += 16) {
    const a = v128.load(g + offset)
    let out = weightGradient + offset
    for (let d = 0; d < features; d++) {
      v128.store(out, f32x4.add(v128.load(out), f32x4.mul(v128.load32_splat(h + (<usize>d << 2)), a)))
      out += row
    }
  }
}
