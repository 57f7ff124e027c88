/**
 * float32 parts are stored little-endian (IEEE 754 binary32). On little-endian hosts (every
 * mainstream JS engine) conversion is a view; elsewhere values are swapped through a DataView.
 */

/** Whether this host stores typed-array elements little-endian. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1

/**
 * The little-endian bytes of `values` (a view of the same memory on little-endian hosts).
 *
 * @example
 * ```ts
 * float32ToBytes(Float32Array.of(1)) // [0x00, 0x00, 0x80, 0x3f]
 * ```
 */
export function float32ToBytes(values: Float32Array): Uint8Array {
  if (HOST_IS_LITTLE_ENDIAN) return new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
  const bytes = new Uint8Array(values.byteLength)
  const view = new DataView(bytes.buffer)
  values.forEach((value, i) => view.setFloat32(4 * i, value, true))
  return bytes
}

/**
 * The float32 values of little-endian `bytes` (length a multiple of 4): a view of the same memory
 * when the host is little-endian and the bytes are 4-aligned in their buffer, else a copy.
 *
 * @example
 * ```ts
 * bytesToFloat32(Uint8Array.of(0, 0, 0x80, 0x3f)) // Float32Array [1]
 * ```
 */
export function bytesToFloat32(bytes: Uint8Array): Float32Array {
  const count = bytes.length >>> 2
  if (HOST_IS_LITTLE_ENDIAN && bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, true))
}
