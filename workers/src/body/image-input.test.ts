import { InputError, loadModel } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { loadTestModel, vectorTestBundle } from '../testing/test-models.js'
import { imageInput } from './image-input.js'

/** The first 33 bytes of a PNG of `width` x `height` (signature + IHDR): all the checks read. */
function pngHeader(width: number, height: number): Uint8Array {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  const view = new DataView(bytes.buffer)
  view.setUint32(16, width)
  view.setUint32(20, height)
  bytes.set([8, 0, 0, 0, 0], 24)
  return bytes
}

const model = await loadTestModel()
const vectorModel = await loadModel(await vectorTestBundle())
afterAll(() => {
  model.dispose()
  vectorModel.dispose()
})
const info = model.info
const limits = { ...DEFAULT_LIMITS, maxBatch: 2, maxPixels: 100 }

function failure(images: Uint8Array[], declared: 'png' | 'jpeg' | null = null, modelInfo = info): string {
  try {
    imageInput(images, modelInfo, limits, declared)
  } catch (error) {
    if (error instanceof ApiError || error instanceof InputError) return `${error.code}: ${error.message}`
    throw error
  }
  return 'ok'
}

describe('imageInput', () => {
  it('hands one image as bytes and several as an array', () => {
    const one = pngHeader(10, 10)
    expect(imageInput([one], info, limits, 'png')).toStrictEqual({ input: one, batch: 1 })
    const two = [pngHeader(5, 5), pngHeader(2, 50)]
    expect(imageInput(two, info, limits, null)).toStrictEqual({ input: two, batch: 2 })
  })

  it('refuses from the headers alone: too many pixels, too many images, not an image, wrong declared format, vector model', () => {
    expect(failure([pngHeader(11, 10)])).toBe('image_too_large: image is 11 x 10 = 110 pixels, over MAX_PIXELS = 100')
    expect(failure([pngHeader(1, 1), pngHeader(10, 11)])).toBe('image_too_large: image 1 is 10 x 11 = 110 pixels, over MAX_PIXELS = 100')
    expect(failure([pngHeader(1, 1), pngHeader(1, 1), pngHeader(1, 1)])).toBe('batch_too_large: 3 images are over MAX_BATCH = 2')
    expect(failure([new TextEncoder().encode('GIF89a......')])).toMatch(/^input_error: image: not a PNG or JPEG image/)
    expect(failure([pngHeader(2, 2)], 'jpeg')).toBe('input_error: image: Content-Type says image/jpeg but the bytes are a PNG')
    expect(failure([pngHeader(2, 2)], 'png', vectorModel.info)).toBe('input_error: model test-vector takes numeric vectors, not images')
  })
})
