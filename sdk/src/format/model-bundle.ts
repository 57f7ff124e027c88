import { FormatError } from '../errors.js'
import type { PartDtype } from './bundle-layout.js'
import { bytesToFloat32 } from './float32-bytes.js'
import { decodeJson } from './json-value.js'
import type { Manifest } from './manifest.js'
import type { PartEntry } from './part-table.js'
import { toHex } from './sha256.js'

/** Where a part lies in a bundle and what it holds. */
export interface BundlePartInfo {
  readonly name: string
  readonly dtype: PartDtype
  /** Dimensions; empty for json and unshaped bytes parts. */
  readonly shape: readonly number[]
  /** Byte offset in the file (a multiple of 16). */
  readonly offset: number
  /** Byte length. */
  readonly length: number
  /** SHA-256 of the part's bytes, hex. */
  readonly sha256: string
}

/**
 * A verified model bundle. Binary accessors return views of the bundle's own copy of the file
 * (zero-copy; treat them as read-only, they are shared by every caller).
 */
export interface ModelBundle {
  readonly manifest: Manifest
  /** SHA-256 (hex) of the whole file as given, signature included: the model's fingerprint. */
  readonly sha256: string
  /** Whether the bundle carries an Ed25519 signature (verified only when `signatureVerified`). */
  readonly signed: boolean
  /** Whether the signature was verified under the `publicKey` given to `readBundle`. */
  readonly signatureVerified: boolean
  /** Part names in file order; `manifest` first. */
  readonly partNames: readonly string[]
  /** Location, dtype, shape and hash of a part. @throws {FormatError} for an unknown part. */
  part(name: string): BundlePartInfo
  /** The raw bytes of any part (a view). @throws {FormatError} for an unknown part. */
  bytes(name: string): Uint8Array
  /** The values of a float32 part (a view on little-endian hosts). @throws {FormatError} for an unknown or non-float32 part. */
  float32(name: string): Float32Array
  /** The parsed value of a json part (parsed afresh on each call). @throws {FormatError} for an unknown or non-json part. */
  json(name: string): unknown
}

/**
 * Wraps a verified file and its part table as a {@link ModelBundle}. Called by `readBundle` after
 * every check passed; `file` must be a private copy nobody else writes to.
 *
 * @example
 * ```ts
 * const bundle = createModelBundle({ manifest, file, entries, sha256, signed: false, signatureVerified: false })
 * ```
 */
export function createModelBundle(fields: {
  readonly manifest: Manifest
  readonly file: Uint8Array
  readonly entries: readonly PartEntry[]
  readonly sha256: string
  readonly signed: boolean
  readonly signatureVerified: boolean
}): ModelBundle {
  const { file, entries } = fields
  const byName = new Map(entries.map((entry) => [entry.name, entry]))
  const entry = (name: string, dtype?: PartDtype): PartEntry => {
    const found = byName.get(name)
    if (found === undefined) throw new FormatError(name, `no such part in this bundle (parts: ${entries.map((e) => e.name).join(', ')})`)
    if (dtype !== undefined && found.dtype !== dtype) throw new FormatError(name, `is a ${found.dtype} part, not ${dtype}`)
    return found
  }
  const bytesOf = (found: PartEntry): Uint8Array => file.subarray(found.offset, found.offset + found.length)
  return {
    manifest: fields.manifest,
    sha256: fields.sha256,
    signed: fields.signed,
    signatureVerified: fields.signatureVerified,
    partNames: entries.map((e) => e.name),
    part(name) {
      const { dtype, shape, offset, length, sha256 } = entry(name)
      return { name, dtype, shape, offset, length, sha256: toHex(sha256) }
    },
    bytes: (name) => bytesOf(entry(name)),
    float32: (name) => bytesToFloat32(bytesOf(entry(name, 'float32'))),
    json: (name) => decodeJson(bytesOf(entry(name, 'json')), name),
  }
}
