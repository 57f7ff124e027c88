import { FormatError } from '../errors.js'
import {
  BUNDLE_FORMAT_MAJOR,
  BUNDLE_FORMAT_MINOR,
  ED25519_SIGNATURE_BYTES,
  MANIFEST_PART,
  partNameProblem,
  partShapeProblem,
  type PartDtype,
} from './bundle-layout.js'
import { encodeHeader, headerLength } from './header-encode.js'
import { partOffsets } from './part-layout.js'
import type { PartEntry } from './part-table.js'
import { sha256 } from './sha256.js'
import { signHeader } from './signature.js'
import { assertEd25519Key } from './signing-keys.js'

/** A part ready to be laid out: its bytes are final (JSON serialised, float32 little-endian). */
export interface EncodedPart {
  readonly name: string
  readonly dtype: PartDtype
  readonly shape: readonly number[]
  readonly data: Uint8Array
}

/** Options of {@link encodeBundle}. */
export interface EncodeBundleOptions {
  /** Ed25519 private key: sign the header and append the signature trailer. */
  readonly signingKey?: CryptoKey
  /** Minor version to record (default {@link BUNDLE_FORMAT_MINOR}); tests use it to fake newer writers. */
  readonly minor?: number
}

/**
 * The low-level encoder: hashes each part, builds the header (part table + digest), lays the parts
 * out (16-aligned, zero-padded, in the given order) and appends the signature if a key is given.
 * It checks only the container rules (part names, shapes, `manifest` first); it does NOT validate
 * the manifest or cross-check it. Use `writeBundle`; this exists for it and for tests that must
 * produce bundles a buggy writer would.
 *
 * @throws {FormatError} naming `header` for a bad or duplicate part name or a missing leading
 *   `manifest` part; naming the part for a shape inconsistent with its bytes.
 * @throws {OptionError} (`signingKey`) unless the key is an Ed25519 private key allowed to sign.
 * @example
 * ```ts
 * const bytes = await encodeBundle([{ name: 'manifest', dtype: 'json', shape: [], data: manifestBytes }, ...parts])
 * ```
 */
export async function encodeBundle(parts: readonly EncodedPart[], options: EncodeBundleOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const { signingKey } = options
  if (signingKey !== undefined) assertEd25519Key(signingKey, 'private', 'sign', 'signingKey')
  checkParts(parts)
  const length = headerLength(parts)
  const { offsets, end } = partOffsets(
    parts.map((part) => part.data.length),
    length,
  )
  const hashes = await Promise.all(parts.map((part) => sha256(part.data)))
  const entries = parts.map(
    (part, index): PartEntry => ({
      name: part.name,
      dtype: part.dtype,
      shape: part.shape,
      offset: offsets[index] as number,
      length: part.data.length,
      sha256: hashes[index] as Uint8Array,
    }),
  )
  const header = await encodeHeader({
    major: BUNDLE_FORMAT_MAJOR,
    minor: options.minor ?? BUNDLE_FORMAT_MINOR,
    signatureScheme: signingKey === undefined ? 'none' : 'ed25519',
    entries,
  })
  const signature = signingKey === undefined ? null : await signHeader(signingKey, header)
  const file = new Uint8Array(end + (signature === null ? 0 : ED25519_SIGNATURE_BYTES))
  file.set(header, 0)
  parts.forEach((part, index) => file.set(part.data, offsets[index]))
  if (signature !== null) file.set(signature, end)
  return file
}

function checkParts(parts: readonly EncodedPart[]): void {
  const first = parts[0]
  if (first === undefined || first.name !== MANIFEST_PART || first.dtype !== 'json') throw new FormatError('header', `the first part must be the json part "${MANIFEST_PART}"`)
  const names = new Set<string>()
  for (const part of parts) {
    const nameProblem = partNameProblem(part.name)
    if (nameProblem !== null) throw new FormatError('header', `part name ${JSON.stringify(part.name)} ${nameProblem}`)
    if (names.has(part.name)) throw new FormatError('header', `duplicate part name ${JSON.stringify(part.name)}`)
    names.add(part.name)
    const shapeProblem = partShapeProblem(part.dtype, part.shape, part.data.length)
    if (shapeProblem !== null) throw new FormatError(part.name, shapeProblem)
  }
}
