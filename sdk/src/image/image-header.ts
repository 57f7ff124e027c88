import { InputError } from '../errors.js'

/** The encodings the SDK decodes. */
export type ImageFormat = 'png' | 'jpeg'

/** Format and size read from an encoded image's header, before any pixel is decoded. */
export interface ImageHeader {
  readonly format: ImageFormat
  readonly width: number
  readonly height: number
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]

/**
 * Identifies PNG or JPEG by its signature and reads width and height from the header (PNG IHDR,
 * JPEG SOF marker) without decoding pixels, so a pixel cap can be enforced before any allocation.
 *
 * @throws {InputError} for bytes that are neither PNG nor JPEG, or whose header is damaged.
 * @example
 * ```ts
 * readImageHeader(pngBytes) // { format: 'png', width: 28, height: 28 }
 * ```
 */
export function readImageHeader(bytes: Uint8Array): ImageHeader {
  if (PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return pngHeader(bytes)
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return jpegHeader(bytes)
  throw new InputError(`not a PNG or JPEG image (first bytes ${hex(bytes.subarray(0, 8))})`, { expected: 'image/png or image/jpeg' })
}

function pngHeader(bytes: Uint8Array): ImageHeader {
  // signature (8) | length (4) | 'IHDR' (4) | width (4) | height (4)
  if (bytes.length < 24 || String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') {
    throw new InputError('PNG header is truncated or has no IHDR chunk')
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return checked('png', view.getUint32(16), view.getUint32(20))
}

function jpegHeader(bytes: Uint8Array): ImageHeader {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let offset = 2
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) throw new InputError(`JPEG marker expected at byte ${offset}`)
    const marker = bytes[offset + 1] as number
    if (marker === 0xff) {
      offset++ // fill byte
      continue
    }
    const length = view.getUint16(offset + 2)
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (offset + 9 > bytes.length) break
      return checked('jpeg', view.getUint16(offset + 7), view.getUint16(offset + 5))
    }
    if (length < 2) throw new InputError(`JPEG segment at byte ${offset} has invalid length ${length}`)
    offset += 2 + length
  }
  throw new InputError('JPEG has no frame header (SOF) before its end: truncated or damaged')
}

function checked(format: ImageFormat, width: number, height: number): ImageHeader {
  if (width < 1 || height < 1) throw new InputError(`${format.toUpperCase()} declares an empty image (${width} x ${height})`)
  return { format, width, height }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ')
}
