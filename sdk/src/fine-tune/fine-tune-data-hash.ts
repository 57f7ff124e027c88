import { sha256Hex } from '../format/sha256.js'

/**
 * The provenance hash of fine-tuning data: SHA-256 (hex) over the model-space inputs as the
 * backbone saw them (float32 little-endian, item-major; encoded images are hashed after decoding
 * and preprocessing), then the class index of every item (int32 little-endian), then the label set
 * as UTF-8 JSON. Equal data and labels give equal hashes on every runtime.
 *
 * @example
 * ```ts
 * await fineTuneDataHash(new Float32Array([0, 1]), Int32Array.of(1), ['cat', 'dog']) // 64 hex digits
 * ```
 */
export async function fineTuneDataHash(inputs: Float32Array, labels: Int32Array, labelSet: readonly string[]): Promise<string> {
  const names = new TextEncoder().encode(JSON.stringify(labelSet))
  const bytes = new Uint8Array(inputs.length * 4 + labels.length * 4 + names.length)
  const view = new DataView(bytes.buffer)
  inputs.forEach((v, i) => view.setFloat32(i * 4, v, true))
  const offset = inputs.length * 4
  labels.forEach((v, i) => view.setInt32(offset + i * 4, v, true))
  bytes.set(names, offset + labels.length * 4)
  return sha256Hex(bytes)
}
