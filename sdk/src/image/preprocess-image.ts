import { ShapeError } from '../errors.js'
import type { ImagePreprocessing } from '../format/manifest.js'
import { decodeImage, type DecodeImageOptions } from './decode-image.js'
import { centerLikeMnist } from './mnist-centering.js'
import { toPlane } from './plane.js'
import type { RawImage } from './raw-image.js'
import { resizePlane } from './resize.js'

/**
 * Turns a decoded image into one model input (height x width x channels float32, HWC) following a
 * bundle's {@link ImagePreprocessing}, in this order: to `channels` (BT.601 luma or replication),
 * invert (v -> 255 - v), MNIST centring, resize (antialiased bilinear), x * scale,
 * (x - mean[c]) / std[c]. The SDK, the worker and the browser page all call this one function.
 *
 * @example
 * ```ts
 * const input = preprocessImage(decodeImage(png), model.info.input.image)
 * ```
 */
export function preprocessImage(image: RawImage, spec: ImagePreprocessing): Float32Array {
  if (spec.mean.length !== spec.channels || spec.std.length !== spec.channels) {
    throw new ShapeError('image preprocessing mean/std', `${spec.channels} values each`, `${spec.mean.length} and ${spec.std.length}`)
  }
  let plane = toPlane(image, spec.channels)
  if (spec.invert) plane = { ...plane, data: plane.data.map((v) => 255 - v) }
  if (spec.mnistCentering) plane = centerLikeMnist(plane)
  plane = resizePlane(plane, spec.width, spec.height)
  const out = new Float32Array(plane.data.length)
  for (let i = 0; i < out.length; i++) {
    const c = i % spec.channels
    out[i] = ((plane.data[i] as number) * spec.scale - (spec.mean[c] as number)) / (spec.std[c] as number)
  }
  return out
}

/**
 * Decodes and preprocesses one encoded PNG/JPEG image in one call.
 *
 * @throws {InputError} for an undecodable or oversized image.
 * @example
 * ```ts
 * const input = imageToInput(pngBytes, spec, { maxPixels: 1_000_000 })
 * ```
 */
export function imageToInput(bytes: Uint8Array, spec: ImagePreprocessing, options: DecodeImageOptions = {}): Float32Array {
  return preprocessImage(decodeImage(bytes, options), spec)
}
