import { convertIndexedToRgb, decode as decodePng } from 'fast-png'
import { decode as decodeJpeg } from 'jpeg-js'
import { InputError } from '../errors.js'
import { readImageHeader } from './image-header.js'
import { DEFAULT_MAX_PIXELS, type RawImage } from './raw-image.js'

/** Options of {@link decodeImage}. */
export interface DecodeImageOptions {
  /** Refuse images with more than this many pixels (width x height), checked from the header before decoding. */
  readonly maxPixels?: number
}

/**
 * Decodes a PNG (any bit depth, gray/RGB/palette, with or without alpha) or a baseline/progressive
 * JPEG into 8-bit gray or RGB samples. Alpha is composited on black; 16-bit samples keep their
 * high byte; palettes are expanded. The same code runs in Node, browsers and Workers (pure JS).
 *
 * @throws {InputError} for an unknown format, a damaged file, or more than `maxPixels` pixels.
 * @example
 * ```ts
 * const image = decodeImage(new Uint8Array(await file.arrayBuffer()), { maxPixels: 1_000_000 })
 * ```
 */
export function decodeImage(bytes: Uint8Array, options: DecodeImageOptions = {}): RawImage {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS
  const header = readImageHeader(bytes)
  const pixels = header.width * header.height
  if (pixels > maxPixels) {
    throw new InputError(`image is ${header.width} x ${header.height} = ${pixels} pixels, above the limit of ${maxPixels}`, {
      width: header.width,
      height: header.height,
      maxPixels,
    })
  }
  try {
    return header.format === 'png' ? fromPng(bytes) : fromJpeg(bytes, maxPixels)
  } catch (error) {
    if (error instanceof InputError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new InputError(`could not decode ${header.format.toUpperCase()}: ${reason}`, { format: header.format }, { cause: error })
  }
}

function fromPng(bytes: Uint8Array): RawImage {
  const png = decodePng(bytes)
  let data: ArrayLike<number> = png.data
  let channels = png.channels
  let depth: number = png.depth
  if (png.palette) {
    data = convertIndexedToRgb(png)
    channels = png.palette[0]?.length ?? 3
    depth = 8
  }
  const max = 2 ** depth - 1
  const hasAlpha = channels === 2 || channels === 4
  const colour = channels >= 3
  const outChannels = colour ? 3 : 1
  const pixels = png.width * png.height
  const out = new Uint8Array(pixels * outChannels)
  for (let i = 0; i < pixels; i++) {
    const alpha = hasAlpha ? (data[i * channels + channels - 1] as number) / max : 1
    for (let c = 0; c < outChannels; c++) out[i * outChannels + c] = Math.round(((data[i * channels + c] as number) / max) * alpha * 255)
  }
  return { width: png.width, height: png.height, channels: outChannels, data: out }
}

function fromJpeg(bytes: Uint8Array, maxPixels: number): RawImage {
  const jpeg = decodeJpeg(bytes, {
    useTArray: true,
    formatAsRGBA: false,
    tolerantDecoding: false,
    maxResolutionInMP: maxPixels / 1e6,
    maxMemoryUsageInMB: Math.max(16, Math.ceil((maxPixels * 4 * 3) / 1e6)),
  })
  const pixels = jpeg.width * jpeg.height
  if (jpeg.data.length !== pixels * 3) throw new InputError(`JPEG decoded to ${jpeg.data.length} bytes, expected ${pixels * 3}`)
  return { width: jpeg.width, height: jpeg.height, channels: 3, data: jpeg.data }
}
