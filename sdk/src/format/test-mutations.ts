import { SdDropoutError } from '../errors.js'
import { dropoutHash } from '../masks/dropout-mask.js'
import { ED25519_SIGNATURE_BYTES, PART_ALIGNMENT, alignUp } from './bundle-layout.js'
import { encodePartInput } from './bundle-part.js'
import { encodeBundle, type EncodeBundleOptions } from './encode-bundle.js'
import { decodeHeader } from './header-decode.js'
import { encodeHeader } from './header-encode.js'
import { partOffsets } from './part-layout.js'
import { fixtureParts } from './test-fixture.js'

/**
 * Tools for the bundle mutation tests: a seeded position generator, byte regions of a bundle, bit
 * flips, part replacement with a stale hash, and the one assertion every mutation test goes through.
 * Test support only (no vitest import, so it type-checks with the package).
 */

/** A byte range [start, end) of a bundle and the name an error about it must carry. */
export interface ByteRegion {
  readonly kind: 'header' | 'part' | 'padding' | 'signature'
  /** `header`, the part name (for a part and for its padding) or `signature`. */
  readonly name: string
  readonly start: number
  readonly end: number
}

/**
 * The regions of a valid bundle in file order, covering every byte.
 *
 * @example
 * ```ts
 * const regions = await bundleRegions(bytes) // header, manifest, padding of manifest, ...
 * ```
 */
export async function bundleRegions(file: Uint8Array<ArrayBuffer>): Promise<ByteRegion[]> {
  const header = await decodeHeader(file)
  const regions: ByteRegion[] = [{ kind: 'header', name: 'header', start: 0, end: header.length }]
  let end = header.length
  for (const entry of header.entries) {
    end = alignUp(entry.offset + entry.length, PART_ALIGNMENT)
    regions.push({ kind: 'part', name: entry.name, start: entry.offset, end: entry.offset + entry.length })
    if (end > entry.offset + entry.length) regions.push({ kind: 'padding', name: entry.name, start: entry.offset + entry.length, end })
  }
  if (header.signatureScheme === 'ed25519') regions.push({ kind: 'signature', name: 'signature', start: end, end: end + ED25519_SIGNATURE_BYTES })
  return regions
}

/**
 * `count` integers in [0, below) from a counter-based hash (the dropout-mask hash), reproducible.
 *
 * @example
 * ```ts
 * seededIntegers(1, 3, 10) // the same three digits on every run
 * ```
 */
export function seededIntegers(seed: number, count: number, below: number): number[] {
  return Array.from({ length: count }, (_, i) => dropoutHash(seed, 0, i) % below)
}

/**
 * A copy of `file` with bit `bit` (0..7) of byte `byte` flipped.
 *
 * @example
 * ```ts
 * flipBit(Uint8Array.of(0), 0, 7) // [128]
 * ```
 */
export function flipBit(file: Uint8Array, byte: number, bit: number): Uint8Array<ArrayBuffer> {
  const copy = file.slice()
  copy[byte] = (copy[byte] as number) ^ (1 << bit)
  return copy
}

/**
 * A copy of an unsigned bundle whose part `name` holds `data` instead, with offsets, lengths and
 * header digest fixed but the part's recorded SHA-256 left as it was: only the part hash can catch it.
 *
 * @example
 * ```ts
 * const edited = await replacePartKeepingHash(bytes, 'manifest', newManifestBytes)
 * ```
 */
export async function replacePartKeepingHash(file: Uint8Array<ArrayBuffer>, name: string, data: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  const header = await decodeHeader(file)
  const datas = header.entries.map((entry) => (entry.name === name ? data : file.subarray(entry.offset, entry.offset + entry.length)))
  const { offsets, end } = partOffsets(
    datas.map((bytes) => bytes.length),
    header.length,
  )
  const entries = header.entries.map((entry, index) => ({ ...entry, offset: offsets[index] as number, length: (datas[index] as Uint8Array).length }))
  const encoded = await encodeHeader({ major: header.major, minor: header.minor, signatureScheme: 'none', entries })
  const out = new Uint8Array(end)
  out.set(encoded, 0)
  datas.forEach((bytes, index) => out.set(bytes, offsets[index]))
  return out
}

/**
 * The fixture's parts with a given manifest value, through the low-level encoder (no manifest
 * validation), as a buggy writer would produce them. Every hash is correct.
 *
 * @example
 * ```ts
 * const bytes = await encodeWithManifest({ ...fixtureManifest(), labels: [] })
 * ```
 */
export async function encodeWithManifest(manifest: unknown, options: EncodeBundleOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  return encodeWithManifestBytes(new TextEncoder().encode(JSON.stringify(manifest)), options)
}

/**
 * Like {@link encodeWithManifest}, with the manifest part's bytes given as they are (for text JSON
 * cannot produce: `1e400`, a byte-order mark, invalid UTF-8).
 *
 * @example
 * ```ts
 * const bytes = await encodeWithManifestBytes(new TextEncoder().encode('{"format":'))
 * ```
 */
export async function encodeWithManifestBytes(data: Uint8Array, options: EncodeBundleOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  return encodeBundle([{ name: 'manifest', dtype: 'json', shape: [], data }, ...fixtureParts().map(encodePartInput)], options)
}

/** An error class of the hierarchy, whatever its constructor takes. */
export type SdDropoutErrorClass = abstract new (...args: never[]) => SdDropoutError

/**
 * Awaits `action` and checks it failed with a typed error: an `SdDropoutError`, of `errorClass`,
 * whose `part` is `part`. Returns the error; throws a descriptive Error (failing the test) otherwise.
 *
 * @example
 * ```ts
 * await assertBundleError(readBundle(flipped), IntegrityError, 'head.bias')
 * ```
 */
export async function assertBundleError(action: Promise<unknown>, errorClass: SdDropoutErrorClass, part: string, context = ''): Promise<SdDropoutError> {
  let caught: unknown = null
  try {
    await action
  } catch (error) {
    caught = error
  }
  const where = context === '' ? '' : ` (${context})`
  if (caught === null) throw new Error(`expected ${errorClass.name} naming ${part}, but nothing was thrown${where}`)
  if (!(caught instanceof SdDropoutError)) throw new Error(`expected a typed SdDropoutError, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : Object.prototype.toString.call(caught)}${where}`, { cause: caught })
  const named = 'part' in caught ? String(caught.part) : '(none)'
  if (!(caught instanceof errorClass) || named !== part) {
    throw new Error(`expected ${errorClass.name} naming ${part}, got ${caught.name} naming ${named}: ${caught.message}${where}`, { cause: caught })
  }
  return caught
}
