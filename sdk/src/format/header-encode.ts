import {
  BUNDLE_MAGIC,
  FIXED_HEADER_BYTES,
  PART_ALIGNMENT,
  SHA256_BYTES,
  SIGNATURE_SCHEME_CODES,
  alignUp,
  type SignatureScheme,
} from './bundle-layout.js'
import { partEntryBytes, writePartEntry, type PartEntry } from './part-table.js'
import { sha256 } from './sha256.js'

/** Everything the header of a bundle records. */
export interface HeaderFields {
  readonly major: number
  readonly minor: number
  readonly signatureScheme: SignatureScheme
  /** The part table, in file order; the first entry is the `manifest` part. */
  readonly entries: readonly PartEntry[]
}

/**
 * The header length H in bytes for a part table: align16(24 + sum of entry sizes + 32). The first
 * part starts at H.
 *
 * @example
 * ```ts
 * headerLength([{ name: 'manifest', shape: [] }]) // align16(24 + 64 + 32) = 128
 * ```
 */
export function headerLength(entries: readonly Pick<PartEntry, 'name' | 'shape'>[]): number {
  const tableEnd = entries.reduce((at, entry) => at + partEntryBytes(entry), FIXED_HEADER_BYTES)
  return alignUp(tableEnd + SHA256_BYTES, PART_ALIGNMENT)
}

/**
 * Encodes a header: fixed fields, the part table, zero padding and the SHA-256 of everything
 * before the digest. Entries are written as given (the caller validated them).
 *
 * @example
 * ```ts
 * const header = await encodeHeader({ major: 1, minor: 0, signatureScheme: 'none', entries })
 * ```
 */
export async function encodeHeader(fields: HeaderFields): Promise<Uint8Array<ArrayBuffer>> {
  const length = headerLength(fields.entries)
  const header = new Uint8Array(length)
  const view = new DataView(header.buffer)
  header.set(BUNDLE_MAGIC, 0)
  view.setUint16(8, fields.major, true)
  view.setUint16(10, fields.minor, true)
  view.setUint32(12, length, true)
  view.setUint32(16, fields.entries.length, true)
  view.setUint8(20, SIGNATURE_SCHEME_CODES[fields.signatureScheme])
  let at = FIXED_HEADER_BYTES
  for (const entry of fields.entries) at = writePartEntry(header, at, entry)
  return sealHeader(header)
}

/**
 * Writes the header digest: SHA-256 of bytes [0, H - 32) into bytes [H - 32, H). Returns `header`.
 * Tools (and tests) that patch a header field call it to make the header consistent again.
 *
 * @example
 * ```ts
 * header[10] = 1 // minor version 1
 * await sealHeader(header)
 * ```
 */
export async function sealHeader(header: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  header.set(await sha256(header.subarray(0, header.length - SHA256_BYTES)), header.length - SHA256_BYTES)
  return header
}
