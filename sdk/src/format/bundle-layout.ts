/**
 * Constants and small rules of the model bundle byte layout (format v1). `docs/format.md` is the
 * normative specification; every number here appears there.
 *
 * ```
 * offset 0   magic (8) | u16 major | u16 minor | u32 header length H | u32 part count N
 * offset 20  u8 signature scheme | u8 reserved | u16 reserved
 * offset 24  N part-table entries (8-aligned) | zero padding | SHA-256 of bytes [0, H - 32)
 * offset H   parts in table order, each at a 16-aligned offset, zero-padded to 16
 * end        optional signature trailer (64-byte Ed25519 signature of header bytes [0, H))
 * ```
 */

/** The 8 magic bytes that open every bundle: 0x89 'S' 'D' 'D' CR LF 0x1A LF (PNG-style). */
export const BUNDLE_MAGIC: Uint8Array = Uint8Array.of(0x89, 0x53, 0x44, 0x44, 0x0d, 0x0a, 0x1a, 0x0a)

/** Major version this code reads and writes; a reader refuses every other major. */
export const BUNDLE_FORMAT_MAJOR = 1

/** Minor version this code writes; readers of major 1 accept any minor (see docs/format.md "Versioning"). */
export const BUNDLE_FORMAT_MINOR = 0

/** Major versions `readBundle` understands. */
export const SUPPORTED_MAJOR_VERSIONS: readonly number[] = [BUNDLE_FORMAT_MAJOR]

/** Bytes of the fixed header fields before the part table. */
export const FIXED_HEADER_BYTES = 24

/** Bytes of a SHA-256 digest (the header digest and every part hash). */
export const SHA256_BYTES = 32

/** Bytes of a part-table entry before its shape and name. */
export const ENTRY_FIXED_BYTES = 52

/** Every part starts at a multiple of this many bytes from the start of the file. */
export const PART_ALIGNMENT = 16

/** Largest header a reader accepts (bytes); bounds the work done before the digest check. */
export const MAX_HEADER_BYTES = 1 << 20

/** Longest part name in bytes. */
export const MAX_PART_NAME_BYTES = 128

/** Largest rank of a part's shape. */
export const MAX_RANK = 8

/** Bytes of an Ed25519 signature, the whole trailer of a signed bundle. */
export const ED25519_SIGNATURE_BYTES = 64

/** Name of the part that holds the manifest; always the first part. */
export const MANIFEST_PART = 'manifest'

/** Names errors use for regions that are not parts; no part may be called this. */
export const RESERVED_PART_NAMES: readonly string[] = ['header', 'signature', 'trailer']

/** How a part's bytes are interpreted: UTF-8 JSON text, little-endian float32 values, or opaque bytes. */
export type PartDtype = 'json' | 'float32' | 'bytes'

/** The u8 code of each dtype in the part table. */
export const DTYPE_CODES: Readonly<Record<PartDtype, number>> = { json: 1, float32: 2, bytes: 3 }

/** `none` = unsigned; `ed25519` = a 64-byte Ed25519 signature trailer follows the parts. */
export type SignatureScheme = 'none' | 'ed25519'

/** The u8 code of each signature scheme in the header. */
export const SIGNATURE_SCHEME_CODES: Readonly<Record<SignatureScheme, number>> = { none: 0, ed25519: 1 }

const PART_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * The smallest multiple of `alignment` that is >= `value`.
 *
 * @example
 * ```ts
 * alignUp(17, 16) // 32
 * ```
 */
export function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment
}

/**
 * Why `name` cannot name a part, or null when it can: ASCII `[A-Za-z0-9][A-Za-z0-9._-]*`,
 * at most 128 bytes, not `header`, `signature` or `trailer`.
 *
 * @example
 * ```ts
 * partNameProblem('head.weight') // null
 * partNameProblem('signature')   // 'is reserved for error reports'
 * ```
 */
export function partNameProblem(name: string): string | null {
  if (name.length === 0 || name.length > MAX_PART_NAME_BYTES) return `must be 1 to ${MAX_PART_NAME_BYTES} characters long`
  if (!PART_NAME_PATTERN.test(name)) return 'must match [A-Za-z0-9][A-Za-z0-9._-]*'
  if (RESERVED_PART_NAMES.includes(name)) return 'is reserved for error reports'
  return null
}

/**
 * Why a part of this dtype, shape and byte length is inconsistent, or null when it is fine:
 * `json` parts have no shape; `float32` parts have rank 1..8 and product(shape) * 4 = length;
 * `bytes` parts have no shape or product(shape) = length. Dimensions are integers in [0, 2^32).
 *
 * @example
 * ```ts
 * partShapeProblem('float32', [2, 3], 24) // null
 * partShapeProblem('float32', [2, 3], 20) // 'shape [2,3] needs 24 bytes, part has 20'
 * ```
 */
export function partShapeProblem(dtype: PartDtype, shape: readonly number[], length: number): string | null {
  if (shape.length > MAX_RANK) return `rank ${shape.length} exceeds ${MAX_RANK}`
  for (const dim of shape) if (!(Number.isInteger(dim) && dim >= 0 && dim <= 0xffffffff)) return `dimension ${dim} is not an integer in [0, 2^32)`
  if (dtype === 'json') return shape.length === 0 ? null : 'json parts have no shape'
  if (dtype === 'float32' && shape.length === 0) return 'float32 parts need a shape of rank >= 1'
  if (shape.length === 0) return null
  const needed = shape.reduce((product, dim) => product * dim, dtype === 'float32' ? 4 : 1)
  return needed === length ? null : `shape [${shape.join(',')}] needs ${needed} bytes, part has ${length}`
}
