import { FormatError } from '@sd-dropout/sdk'

/** A parsed IDX file (LeCun's MNIST format, also used by Fashion-MNIST, KMNIST and EMNIST). */
export interface IdxArray {
  /** Dimensions, e.g. [60000, 28, 28] for images or [60000] for labels. */
  readonly dims: readonly number[]
  /** The unsigned bytes, row-major (a view into the file's bytes). */
  readonly data: Uint8Array
}

const TYPE_NAMES: Readonly<Record<number, string>> = { 0x08: 'ubyte', 0x09: 'byte', 0x0b: 'short', 0x0c: 'int', 0x0d: 'float', 0x0e: 'double' }

/**
 * Parses an IDX file of unsigned bytes: magic `00 00 08 n`, then n big-endian uint32 dimensions,
 * then prod(dims) bytes. Every problem is a {@link FormatError} naming the file and what is wrong.
 *
 * @param bytes the file's contents (decompress `.gz` files first)
 * @param file the file name, for messages
 * @throws {FormatError} when the file is shorter than its header, has a bad magic number, stores
 *   a type other than ubyte, has zero or more than 4 dimensions, or holds fewer (truncated) or
 *   more bytes than its dimensions say.
 * @example
 * ```ts
 * const labels = parseIdx(readFileSync('t10k-labels-idx1-ubyte'), 't10k-labels-idx1-ubyte') // dims [10000]
 * ```
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  if (bytes.length < 4) throw new FormatError(file, `not an IDX file: ${bytes.length} bytes, shorter than the 4-byte magic number`)
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) throw new FormatError(file, 'gzip-compressed; decompress it first (gunzip)')
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new FormatError(file, `not an IDX file: magic number starts with 0x${hex(bytes[0])} 0x${hex(bytes[1])}, expected 0x00 0x00`)
  }
  const type = bytes[2] as number
  if (type !== 0x08) {
    throw new FormatError(file, `IDX data type 0x${hex(type)} (${TYPE_NAMES[type] ?? 'unknown'}) is not supported; only 0x08 (unsigned byte) is`)
  }
  const rank = bytes[3] as number
  if (rank < 1 || rank > 4) throw new FormatError(file, `IDX header declares ${rank} dimensions; expected 1 to 4`)
  const headerLength = 4 + 4 * rank
  if (bytes.length < headerLength) throw new FormatError(file, `truncated header: ${bytes.length} bytes, the ${rank}-dimensional header needs ${headerLength}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false))
  const expected = dims.reduce((a, b) => a * b, 1)
  const actual = bytes.length - headerLength
  if (actual < expected) {
    throw new FormatError(file, `truncated: dimensions [${dims.join(', ')}] need ${expected} data bytes, the file holds ${actual}`, { expected, actual })
  }
  if (actual > expected) {
    throw new FormatError(file, `${actual - expected} unexpected bytes after the data of dimensions [${dims.join(', ')}]`, { expected, actual })
  }
  return { dims, data: bytes.subarray(headerLength) }
}

/**
 * Encodes unsigned bytes as an IDX file (the inverse of {@link parseIdx}); used for tests and for
 * exporting the synthetic OOD sets.
 *
 * @example
 * ```ts
 * const file = encodeIdx([2], Uint8Array.of(3, 7)) // 00 00 08 01 | 00 00 00 02 | 03 07
 * ```
 */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const header = new Uint8Array(4 + 4 * dims.length)
  header[2] = 0x08
  header[3] = dims.length
  const view = new DataView(header.buffer)
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false))
  const out = new Uint8Array(header.length + data.length)
  out.set(header)
  out.set(data, header.length)
  return out
}

function hex(value: number | undefined): string {
  return (value ?? 0).toString(16).padStart(2, '0')
}
