import { FormatError } from '../errors.js'
import { ED25519_SIGNATURE_BYTES, PART_ALIGNMENT, alignUp, type SignatureScheme } from './bundle-layout.js'
import type { PartEntry } from './part-table.js'

/**
 * The offset of every part in the canonical layout: the first part starts at the header length H,
 * each next one at the 16-aligned end of the previous one. Also returns the end of the last part's
 * padding, where the signature trailer (if any) starts.
 *
 * @example
 * ```ts
 * partOffsets([10, 16, 1], 128) // { offsets: [128, 144, 160], end: 176 }
 * ```
 */
export function partOffsets(lengths: readonly number[], headerLength: number): { offsets: number[]; end: number } {
  const offsets: number[] = []
  let at = headerLength
  for (const length of lengths) {
    offsets.push(at)
    at = alignUp(at + length, PART_ALIGNMENT)
  }
  return { offsets, end: at }
}

/**
 * Checks that the parts of a decoded header lie where the canonical layout puts them, that the file
 * holds every part and its zero padding, and that nothing but the signature the header announces
 * follows the last part. Returns the signature bytes (null for an unsigned bundle).
 *
 * @throws {FormatError} naming the part whose offset is wrong, whose bytes or padding the file is
 *   cut in, or whose padding is not zero; `signature` for a truncated signature; `trailer` for
 *   bytes after the end of the bundle.
 * @example
 * ```ts
 * const signature = checkPartLayout(file, header.entries, header.length, header.signatureScheme)
 * ```
 */
export function checkPartLayout(file: Uint8Array, entries: readonly PartEntry[], headerLength: number, scheme: SignatureScheme): Uint8Array | null {
  const { offsets, end } = partOffsets(entries.map((entry) => entry.length), headerLength)
  entries.forEach((entry, index) => {
    const expected = offsets[index] as number
    if (entry.offset !== expected) throw new FormatError(entry.name, `offset ${entry.offset} should be ${expected} (parts are contiguous, 16-aligned, in table order)`)
    const dataEnd = entry.offset + entry.length
    const slotEnd = alignUp(dataEnd, PART_ALIGNMENT)
    if (file.length < dataEnd) throw cut(entry.name, `the part ends at byte ${dataEnd}`, file.length)
    if (file.length < slotEnd) throw cut(entry.name, `its padding ends at byte ${slotEnd}`, file.length)
    for (let i = dataEnd; i < slotEnd; i++) if (file[i] !== 0) throw new FormatError(entry.name, `padding byte ${i} after the part is not zero`)
  })
  const signatureBytes = scheme === 'ed25519' ? ED25519_SIGNATURE_BYTES : 0
  if (file.length < end + signatureBytes) throw cut('signature', `the signature ends at byte ${end + signatureBytes}`, file.length)
  if (file.length > end + signatureBytes) {
    throw new FormatError('trailer', `${file.length - end - signatureBytes} unexpected bytes after the end of the bundle (byte ${end + signatureBytes})`)
  }
  return scheme === 'ed25519' ? file.subarray(end, end + signatureBytes) : null
}

function cut(part: string, what: string, available: number): FormatError {
  return new FormatError(part, `truncated: ${what}, the file has ${available} bytes`, { available })
}
