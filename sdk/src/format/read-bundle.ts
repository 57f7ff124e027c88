import { InputError, IntegrityError, OptionError, SignatureError } from '../errors.js'
import { BUNDLE_FORMAT_MINOR } from './bundle-layout.js'
import { checkManifestAgainstParts } from './cross-check.js'
import { decodeHeader } from './header-decode.js'
import { decodeJson } from './json-value.js'
import { parseManifest } from './manifest-schema.js'
import { createModelBundle, type ModelBundle } from './model-bundle.js'
import { checkPartLayout } from './part-layout.js'
import type { PartEntry } from './part-table.js'
import { sha256, sha256Hex, toHex } from './sha256.js'
import { verifyHeaderSignature } from './signature.js'
import { assertEd25519Key, importPublicKey } from './signing-keys.js'

/** Options of {@link readBundle}. */
export interface ReadBundleOptions {
  /** Ed25519 public key (a CryptoKey, or base64 of the raw 32 bytes): verify the bundle's signature. */
  readonly publicKey?: CryptoKey | string
  /** Refuse unsigned bundles. Default: true when `publicKey` is given, else false (and then it must not be true). */
  readonly requireSignature?: boolean
}

/**
 * Reads and verifies a model bundle (format v1, docs/format.md), in this order: magic and major
 * version; header SHA-256; part table; layout (truncation, padding, trailing bytes); signature
 * (when a key is given); every part's SHA-256; manifest JSON and schema; manifest against parts;
 * every json part parses. The input is copied once; the bundle's views point into that copy.
 *
 * @throws {FormatError} (`part` = `header`, a part name, `signature` or `trailer`) for anything
 *   malformed, truncated or unsupported (unknown major version), and for a manifest that fails the
 *   schema (part `manifest`, `details.field` = the field's dot path).
 * @throws {IntegrityError} naming `header` or the part whose SHA-256 does not match.
 * @throws {SignatureError} for a bad signature, or a missing one when it is required.
 * @throws {OptionError} for an unusable `publicKey`, or `requireSignature` without a key.
 * @example
 * ```ts
 * const bundle = await readBundle(bytes, { publicKey: env.MODEL_PUBLIC_KEY })
 * const weights = bundle.float32(bundle.manifest.head.weightPart) // D x C, row-major
 * ```
 */
export async function readBundle(bytes: Uint8Array | ArrayBuffer, options: ReadBundleOptions = {}): Promise<ModelBundle> {
  const publicKey = await resolvePublicKey(options.publicKey)
  const requireSignature = options.requireSignature ?? publicKey !== null
  if (requireSignature && publicKey === null) throw new OptionError('requireSignature', 'needs a publicKey to verify the signature with')
  const file = privateCopy(bytes)
  const header = await decodeHeader(file)
  const signature = checkPartLayout(file, header.entries, header.length, header.signatureScheme)
  if (publicKey !== null) {
    if (signature !== null) await verifyHeaderSignature(publicKey, header.bytes, signature)
    else if (requireSignature) throw new SignatureError('the bundle is unsigned, but a signature is required')
  }
  await verifyPartHashes(file, header.entries)
  const partBytes = (entry: PartEntry): Uint8Array => file.subarray(entry.offset, entry.offset + entry.length)
  const [manifestEntry, ...others] = header.entries as [PartEntry, ...PartEntry[]]
  const manifest = parseManifest(decodeJson(partBytes(manifestEntry), manifestEntry.name), { allowUnknownKeys: header.minor > BUNDLE_FORMAT_MINOR })
  checkManifestAgainstParts(manifest, header.entries)
  for (const entry of others) if (entry.dtype === 'json') decodeJson(partBytes(entry), entry.name)
  return createModelBundle({
    manifest,
    file,
    entries: header.entries,
    sha256: await sha256Hex(file),
    signed: signature !== null,
    signatureVerified: signature !== null && publicKey !== null,
  })
}

async function resolvePublicKey(key: CryptoKey | string | undefined): Promise<CryptoKey | null> {
  if (key === undefined) return null
  if (typeof key === 'string') return importPublicKey(key)
  assertEd25519Key(key, 'public', 'verify', 'publicKey')
  return key
}

function privateCopy(bytes: Uint8Array | ArrayBuffer): Uint8Array<ArrayBuffer> {
  if (ArrayBuffer.isView(bytes)) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice()
  if (Object.prototype.toString.call(bytes) === '[object ArrayBuffer]') return new Uint8Array(bytes).slice()
  throw new InputError(`readBundle needs a Uint8Array or an ArrayBuffer, got ${Object.prototype.toString.call(bytes)}`)
}

async function verifyPartHashes(file: Uint8Array, entries: readonly PartEntry[]): Promise<void> {
  const computed = await Promise.all(entries.map((entry) => sha256(file.subarray(entry.offset, entry.offset + entry.length))))
  entries.forEach((entry, index) => {
    const actual = toHex(computed[index] as Uint8Array)
    const recorded = toHex(entry.sha256)
    if (actual !== recorded) throw new IntegrityError(entry.name, recorded, actual)
  })
}
