import { FormatError, IntegrityError } from '../errors.js'
import {
  BUNDLE_FORMAT_MINOR,
  BUNDLE_MAGIC,
  FIXED_HEADER_BYTES,
  MANIFEST_PART,
  MAX_HEADER_BYTES,
  PART_ALIGNMENT,
  SHA256_BYTES,
  SIGNATURE_SCHEME_CODES,
  SUPPORTED_MAJOR_VERSIONS,
  type SignatureScheme,
} from './bundle-layout.js'
import { headerLength, type HeaderFields } from './header-encode.js'
import { readPartEntry, type PartEntry } from './part-table.js'
import { sha256, toHex } from './sha256.js'

/** A decoded, digest-verified header. */
export interface DecodedHeader extends HeaderFields {
  /** H, the header length in bytes (the first part starts here). */
  readonly length: number
  /** The header bytes [0, H) (what a signature signs). */
  readonly bytes: Uint8Array<ArrayBuffer>
}

/**
 * Reads and checks a bundle's header, in this order: magic, major version, header length, header
 * SHA-256 (before anything else of the header is trusted), then the part table.
 *
 * @throws {FormatError} naming `header` (bad magic, unsupported major version, truncation, a
 *   malformed part table) or a part (a shape inconsistent with its length).
 * @throws {IntegrityError} naming `header` when the header digest does not match.
 * @example
 * ```ts
 * const header = await decodeHeader(fileBytes)
 * header.entries[0]?.name // 'manifest'
 * ```
 */
export async function decodeHeader(file: Uint8Array<ArrayBuffer>): Promise<DecodedHeader> {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  const prefix = Math.min(file.length, BUNDLE_MAGIC.length)
  for (let i = 0; i < prefix; i++) if (file[i] !== BUNDLE_MAGIC[i]) throw new FormatError('header', 'not an sd-dropout bundle (bad magic bytes)')
  if (file.length < FIXED_HEADER_BYTES) throw truncated(FIXED_HEADER_BYTES, file.length)
  const major = view.getUint16(8, true)
  const minor = view.getUint16(10, true)
  if (!SUPPORTED_MAJOR_VERSIONS.includes(major)) {
    const supported = SUPPORTED_MAJOR_VERSIONS.join(', ')
    throw new FormatError('header', `unsupported format version ${major}.${minor}; this reader supports major version ${supported}`, { major, minor, supported: SUPPORTED_MAJOR_VERSIONS })
  }
  const length = view.getUint32(12, true)
  if (length % PART_ALIGNMENT !== 0 || length < FIXED_HEADER_BYTES + SHA256_BYTES || length > MAX_HEADER_BYTES) {
    throw new FormatError('header', `header length ${length} is not a multiple of ${PART_ALIGNMENT} in [${FIXED_HEADER_BYTES + SHA256_BYTES}, ${MAX_HEADER_BYTES}]`)
  }
  if (file.length < length) throw truncated(length, file.length)
  const bytes = file.slice(0, length)
  const recorded = toHex(bytes.subarray(length - SHA256_BYTES))
  const computed = toHex(await sha256(bytes.subarray(0, length - SHA256_BYTES)))
  if (recorded !== computed) throw new IntegrityError('header', recorded, computed)
  return { ...parseTable(bytes, minor), major, minor, length, bytes }
}

function parseTable(header: Uint8Array<ArrayBuffer>, minor: number): { signatureScheme: SignatureScheme; entries: PartEntry[] } {
  const view = new DataView(header.buffer)
  const count = view.getUint32(16, true)
  const schemeCode = view.getUint8(20)
  const signatureScheme = (Object.keys(SIGNATURE_SCHEME_CODES) as SignatureScheme[]).find((scheme) => SIGNATURE_SCHEME_CODES[scheme] === schemeCode)
  if (signatureScheme === undefined) throw new FormatError('header', `unknown signature scheme code ${schemeCode}`)
  // Reserved fields and the layout after the table are checked only for minors this reader knows;
  // a newer minor of the same major may use them.
  const strict = minor <= BUNDLE_FORMAT_MINOR
  if (strict && (header[21] !== 0 || view.getUint16(22, true) !== 0)) throw new FormatError('header', 'reserved bytes 21..23 must be zero')
  const tableLimit = header.length - SHA256_BYTES
  const entries: PartEntry[] = []
  const names = new Set<string>()
  let at = FIXED_HEADER_BYTES
  for (let index = 0; index < count; index++) {
    const { entry, next } = readPartEntry(header, at, tableLimit, index)
    if (names.has(entry.name)) throw new FormatError('header', `duplicate part name ${JSON.stringify(entry.name)}`)
    names.add(entry.name)
    entries.push(entry)
    at = next
  }
  const first = entries[0]
  if (first === undefined || first.name !== MANIFEST_PART || first.dtype !== 'json') throw new FormatError('header', `the first part must be the json part "${MANIFEST_PART}"`)
  if (strict) {
    if (headerLength(entries) !== header.length) throw new FormatError('header', `header length ${header.length} should be ${headerLength(entries)} for this part table`)
    for (let i = at; i < tableLimit; i++) if (header[i] !== 0) throw new FormatError('header', `padding byte ${i} is not zero`)
  }
  return { signatureScheme, entries }
}

function truncated(needed: number, available: number): FormatError {
  return new FormatError('header', `truncated: the header needs ${needed} bytes, the file has ${available}`, { needed, available })
}
