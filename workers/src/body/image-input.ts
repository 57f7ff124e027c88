import { InputError, readImageHeader, type ImageFormat, type ModelInfo } from '@sd-dropout/sdk'
import type { RequestLimits } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import type { ParsedInput } from './tensor-input.js'

/**
 * Checks encoded images before decoding: the model takes images, at most `maxBatch` of them, each
 * a PNG or JPEG (of the declared format, when one is declared) of at most `maxPixels` pixels read
 * from its header. The SDK then decodes them with the same pixel cap.
 *
 * @throws {InputError} for a vector model, non-image bytes or a format mismatch; {ApiError}
 *   `batch_too_large` / `image_too_large` (413).
 * @example
 * ```ts
 * imageInput([pngBytes], info, limits, 'png') // { input: pngBytes, batch: 1 }
 * ```
 */
export function imageInput(images: readonly Uint8Array[], info: ModelInfo, limits: RequestLimits, declared: ImageFormat | null): ParsedInput {
  if (info.input.image === null) throw new InputError(`model ${info.name} takes numeric vectors, not images`, { kind: info.input.kind })
  if (images.length > limits.maxBatch) {
    throw new ApiError('batch_too_large', `${images.length} images are over MAX_BATCH = ${limits.maxBatch}`, { details: { batch: images.length, maxBatch: limits.maxBatch } })
  }
  images.forEach((bytes, item) => {
    const where = images.length > 1 ? `image ${item}` : 'image'
    let header: ReturnType<typeof readImageHeader>
    try {
      header = readImageHeader(bytes)
    } catch (error) {
      if (error instanceof InputError) throw new InputError(`${where}: ${error.message}`, { ...error.details, item })
      throw error
    }
    if (declared !== null && header.format !== declared) {
      throw new InputError(`${where}: Content-Type says image/${declared} but the bytes are a ${header.format.toUpperCase()}`, { item, format: header.format })
    }
    const pixels = header.width * header.height
    if (pixels > limits.maxPixels) {
      throw new ApiError('image_too_large', `${where} is ${header.width} x ${header.height} = ${pixels} pixels, over MAX_PIXELS = ${limits.maxPixels}`, {
        details: { item, width: header.width, height: header.height, maxPixels: limits.maxPixels },
      })
    }
  })
  return { input: images.length === 1 ? (images[0] as Uint8Array) : images, batch: images.length }
}
