import { FormatError } from '../errors.js'
import {
  DTYPE_CODES,
  ENTRY_FIXED_BYTES,
  MAX_PART_NAME_BYTES,
  MAX_RANK,
  SHA256_BYTES,
  alignUp,
  partNameProblem,
  partShapeProblem,
  type PartDtype,
} from './bundle-layout.js'

/**
 * One entry of a bundle's part table: where a part lies in the file and what it holds.
 *
 * Encoding (little-endian, 8-aligned, see docs/format.md "Part table"):
 * `u64 offset | u64 length | u8[32] SHA-256 | u8 dtype | u8 rank | u16 name length |
 * u32[rank] shape | name (ASCII) | zero padding to a multiple of 8`.
 */
export interface PartEntry {
  readonly name: string
  readonly dtype: PartDtype
  /** Dimensions; empty for json parts and unshaped bytes parts. */
  readonly shape: readonly number[]
  /** Byte offset of the part from the start of the file (a multiple of 16). */
  readonly offset: number
  /** Byte length of the part, padding excluded. */
  readonly length: number
  /** SHA-256 of the part's `length` bytes. */
  readonly sha256: Uint8Array
}

/**
 * The encoded size of an entry in bytes: align8(52 + 4 * rank + name length).
 *
 * @example
 * ```ts
 * partEntryBytes({ name: 'head.bias', shape: [3] }) // align8(52 + 4 + 9) = 72
 * ```
 */
export function partEntryBytes(entry: Pick<PartEntry, 'name' | 'shape'>): number {
  return alignUp(ENTRY_FIXED_BYTES + 4 * entry.shape.length + entry.name.length, 8)
}

/**
 * Writes `entry` at byte `at` of `target` (which must be zero-filled there) and returns the
 * position after it. The caller has validated name and shape.
 *
 * @example
 * ```ts
 * const next = writePartEntry(headerBytes, 24, entry)
 * ```
 */
export function writePartEntry(target: Uint8Array, at: number, entry: PartEntry): number {
  const view = new DataView(target.buffer, target.byteOffset, target.byteLength)
  writeUint64(view, at, entry.offset)
  writeUint64(view, at + 8, entry.length)
  target.set(entry.sha256, at + 16)
  view.setUint8(at + 48, DTYPE_CODES[entry.dtype])
  view.setUint8(at + 49, entry.shape.length)
  view.setUint16(at + 50, entry.name.length, true)
  entry.shape.forEach((dim, axis) => view.setUint32(at + ENTRY_FIXED_BYTES + 4 * axis, dim, true))
  const nameAt = at + ENTRY_FIXED_BYTES + 4 * entry.shape.length
  for (let i = 0; i < entry.name.length; i++) target[nameAt + i] = entry.name.charCodeAt(i)
  return at + partEntryBytes(entry)
}

/**
 * Decodes the entry at byte `at` of the header, which must end before `end`, and returns it with
 * the position after it.
 *
 * @throws {FormatError} naming `header` for an entry that overruns the table, an unknown dtype, a
 *   bad name, rank or nonzero padding; naming the part for a shape inconsistent with its length.
 * @example
 * ```ts
 * const { entry, next } = readPartEntry(headerBytes, 24, tableEnd, 0)
 * ```
 */
export function readPartEntry(header: Uint8Array, at: number, end: number, index: number): { entry: PartEntry; next: number } {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength)
  const where = `part table entry ${index}`
  if (at + ENTRY_FIXED_BYTES > end) throw new FormatError('header', `${where} overruns the part table`)
  const rank = view.getUint8(at + 49)
  const nameLength = view.getUint16(at + 50, true)
  if (rank > MAX_RANK) throw new FormatError('header', `${where}: rank ${rank} exceeds ${MAX_RANK}`)
  if (nameLength === 0 || nameLength > MAX_PART_NAME_BYTES) throw new FormatError('header', `${where}: name length ${nameLength} is not in 1..${MAX_PART_NAME_BYTES}`)
  const nameAt = at + ENTRY_FIXED_BYTES + 4 * rank
  const next = alignUp(nameAt + nameLength, 8)
  if (next > end) throw new FormatError('header', `${where} overruns the part table`)
  const name = String.fromCharCode(...header.subarray(nameAt, nameAt + nameLength))
  const nameProblem = partNameProblem(name)
  if (nameProblem !== null) throw new FormatError('header', `${where}: part name ${JSON.stringify(name)} ${nameProblem}`)
  for (let i = nameAt + nameLength; i < next; i++) if (header[i] !== 0) throw new FormatError('header', `${where}: padding byte ${i} is not zero`)
  const dtype = dtypeOf(view.getUint8(at + 48))
  if (dtype === null) throw new FormatError('header', `${where}: unknown dtype code ${view.getUint8(at + 48)}`)
  const shape = Array.from({ length: rank }, (_, axis) => view.getUint32(at + ENTRY_FIXED_BYTES + 4 * axis, true))
  const entry: PartEntry = {
    name,
    dtype,
    shape,
    offset: readUint64(view, at, name, 'offset'),
    length: readUint64(view, at + 8, name, 'length'),
    sha256: header.slice(at + 16, at + 16 + SHA256_BYTES),
  }
  const shapeProblem = partShapeProblem(dtype, shape, entry.length)
  if (shapeProblem !== null) throw new FormatError(name, shapeProblem)
  return { entry, next }
}

function dtypeOf(code: number): PartDtype | null {
  for (const [dtype, value] of Object.entries(DTYPE_CODES)) if (value === code) return dtype as PartDtype
  return null
}

function writeUint64(view: DataView, at: number, value: number): void {
  view.setUint32(at, value % 0x100000000, true)
  view.setUint32(at + 4, Math.floor(value / 0x100000000), true)
}

function readUint64(view: DataView, at: number, part: string, field: string): number {
  const high = view.getUint32(at + 4, true)
  if (high >= 0x200000) throw new FormatError(part, `${field} does not fit in 53 bits`)
  return high * 0x100000000 + view.getUint32(at, true)
}
