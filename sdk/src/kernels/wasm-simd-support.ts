/**
 * The smallest module that uses a SIMD instruction: `(func (result v128) i32.const 0 i32x4.splat)`.
 * `WebAssembly.validate` accepts it only where WebAssembly SIMD (fixed-width, 128-bit) is supported.
 */
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type section: () -> v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x08, 0x01, 0x06, 0x00, 0x41, 0x00, 0xfd, 0x11, 0x0b, // code: i32.const 0, i32x4.splat, end
])

/**
 * Whether this runtime supports WebAssembly with fixed-width SIMD (Node >= 16.4, Chrome >= 91,
 * Firefox >= 89, Safari >= 16.4, Cloudflare Workers). Validating only, so it compiles nothing and
 * is cheap and allowed everywhere; false where `WebAssembly` itself is missing.
 *
 * @example
 * ```ts
 * const kernel = isWasmSimdSupported() ? await createWasmHeadKernel(bytes) : createTypeScriptHeadKernel()
 * ```
 */
export function isWasmSimdSupported(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(SIMD_PROBE)
  } catch {
    return false
  }
}
