import { FormatError, ShapeError } from '../errors.js'
import type { EncodedPart } from './encode-bundle.js'
import { float32ToBytes } from './float32-bytes.js'
import { encodeJson, jsonValueProblem } from './json-value.js'
import type { JsonValue } from './manifest.js'

/**
 * One part given to `writeBundle`. The dtype follows from `data`: a Float32Array becomes a
 * `float32` part (stored little-endian, shape default `[length]`), a Uint8Array a `bytes` part
 * (unshaped unless `shape` is given), any other value a `json` part (UTF-8 JSON, no shape).
 */
export interface BundlePartInput {
  /** `[A-Za-z0-9][A-Za-z0-9._-]*`, at most 128 characters, unique, not `manifest`. */
  readonly name: string
  readonly data: Float32Array | Uint8Array | JsonValue
  /** Dimensions; product(shape) must equal the number of values (float32) or bytes (bytes). */
  readonly shape?: readonly number[]
}

/**
 * Turns a part input into the bytes, dtype and shape the encoder lays out.
 *
 * @throws {ShapeError} when product(shape) does not match the data.
 * @throws {FormatError} naming the part for a shape on JSON data, other typed arrays, or values
 *   that are not plain JSON (NaN, undefined, class instances, cycles).
 * @example
 * ```ts
 * encodePartInput({ name: 'head.bias', data: new Float32Array(3) }) // float32, shape [3], 12 bytes
 * ```
 */
export function encodePartInput(part: BundlePartInput): EncodedPart {
  const { name, data, shape } = part
  if (data instanceof Float32Array || data instanceof Uint8Array) {
    const dims = shape ?? (data instanceof Float32Array ? [data.length] : [])
    const values = dims.reduce((product, dim) => product * dim, 1)
    if (dims.length > 0 && values !== data.length) throw new ShapeError(`part ${name}`, `${values} values for shape [${dims.join(', ')}]`, `${data.length}`)
    return data instanceof Float32Array
      ? { name, dtype: 'float32', shape: [...dims], data: float32ToBytes(data) }
      : { name, dtype: 'bytes', shape: [...dims], data }
  }
  if (ArrayBuffer.isView(data)) throw new FormatError(name, 'only Float32Array (float32) and Uint8Array (bytes) binary data can be stored')
  if (shape !== undefined) throw new FormatError(name, 'json parts have no shape')
  const problem = jsonValueProblem(data)
  if (problem !== null) throw new FormatError(name, `is not plain JSON at ${problem.path}: ${problem.reason}`, { field: problem.path })
  return { name, dtype: 'json', shape: [], data: encodeJson(data) }
}
