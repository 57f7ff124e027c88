// The prepared (packed) layout of a linear head z = hW + b, built once per model.
// W (D x C, row-major, feature-major) is stored in class blocks of 8: block j holds, for every
// feature d, the 8 weights W[d, 8j .. 8j + 7] contiguously (32 bytes), so the inner loop of
// `gemmLanes` reads W sequentially. Classes are padded to Cp = 8 * ceil(C / 8) with zero weights
// and zero bias. Layout: packed W (Cp * D floats), then bias (Cp floats).

/** C rounded up to a multiple of 8. */
// @ts-ignore: decorator
@inline export function paddedClasses(classes: i32): i32 {
  return (classes + 7) & ~7
}

/** Bytes of the prepared head of a D x C head. */
export function preparedHeadBytes(features: i32, classes: i32): usize {
  const padded = <usize>paddedClasses(classes)
  return (padded * <usize>features + padded) << 2
}

/** Pointer to the padded bias inside a prepared head. */
// @ts-ignore: decorator
@inline export function preparedBias(prepared: usize, features: i32, classes: i32): usize {
  return prepared + ((<usize>paddedClasses(classes) * <usize>features) << 2)
}

/** Packs W (D x C floats at `weight`) and b (C floats at `bias`) into `prepared` (see the layout above). */
export function prepareHead(weight: usize, bias: usize, features: i32, classes: i32, prepared: usize): void {
  const padded = paddedClasses(classes)
  let out = prepared
  for (let block = 0; block < padded; block += 8) {
    for (let d = 0; d < features; d++) {
      for (let k = 0; k < 8; k++) {
        const c = block + k
        store<f32>(out, c < classes ? load<f32>(weight + ((<usize>d * classes + c) << 2)) : 0)
        out += 4
      }
    }
  }
  for (let c = 0; c < padded; c++) {
    store<f32>(out, c < classes ? load<f32>(bias + (<usize>c << 2)) : 0)
    out += 4
  }
}
