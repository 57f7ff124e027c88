/**
 * A decoded image: 8-bit samples, row-major, interleaved channels (1 = gray, 3 = RGB). Alpha is
 * already composited on black and palettes are expanded by the decoder.
 */
export interface RawImage {
  readonly width: number
  readonly height: number
  readonly channels: 1 | 3
  /** width * height * channels bytes. */
  readonly data: Uint8Array
}

/** The default cap on decoded pixels (width x height): 4 megapixels, about 16 MB as RGBA. */
export const DEFAULT_MAX_PIXELS = 4 * 1024 * 1024
