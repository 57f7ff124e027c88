/** Whether this host stores typed-array elements little-endian (every mainstream engine). */
const LITTLE_ENDIAN_HOST = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

/**
 * The float32 values of little-endian IEEE 754 bytes (length a multiple of 4): a view when the
 * host is little-endian and the bytes are 4-aligned, else a copy. (The SDK has the same helper
 * but does not export it.)
 *
 * @example
 * ```ts
 * float32FromBytes(Uint8Array.of(0, 0, 0x80, 0x3f)) // Float32Array [1]
 * ```
 */
export function float32FromBytes(bytes: Uint8Array): Float32Array {
  const count = bytes.byteLength >>> 2
  if (LITTLE_ENDIAN_HOST && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count)
  if (LITTLE_ENDIAN_HOST) return new Float32Array(bytes.slice(0, count * 4).buffer)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true))
}
