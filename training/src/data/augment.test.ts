import { deriveSeed } from '@sd-dropout/sdk'
import { describe, expect, it } from 'vitest'
import { augmentBatch, AUGMENTATION_NAMES, CROP_PADDING } from './augment.js'
import { flipImagesHorizontally } from './augment-flip.js'
import { shiftImages } from './augment-shift.js'

/** 2 RGB images of 3 x 4 pixels whose values encode (item, y, x, c). */
const shape = [3, 4, 3]
const images = Float32Array.from({ length: 2 * 36 }, (_, k) => k + 1)

describe('flipImagesHorizontally', () => {
  it('mirrors exactly the items whose hash bit is set, keeping channels in order', () => {
    const seed = 5
    const out = flipImagesHorizontally(images, 2, shape, seed)
    for (let item = 0; item < 2; item++) {
      const flipped = (deriveSeed(seed, item) & 1) === 1
      // row 1 of the item, pixel x = 0: the flipped image holds pixel x = 3 there
      const at = (x: number, c: number) => item * 36 + (1 * 4 + x) * 3 + c
      expect([out[at(0, 0)], out[at(0, 2)]]).toStrictEqual(flipped ? [images[at(3, 0)], images[at(3, 2)]] : [images[at(0, 0)], images[at(0, 2)]])
    }
  })

  it('is an involution, and about half of many items are flipped', () => {
    const out = flipImagesHorizontally(flipImagesHorizontally(images, 2, shape, 9), 2, shape, 9)
    expect(Array.from(out)).toStrictEqual(Array.from(images))
    const many = new Float32Array(1000 * 2)
    many.forEach((_, k) => (many[k] = k % 2))
    const flipped = flipImagesHorizontally(many, 1000, [1, 2, 1], 3)
    let count = 0
    for (let i = 0; i < 1000; i++) if (flipped[2 * i] === 1) count++
    expect(count).toBeGreaterThan(450)
    expect(count).toBeLessThan(550)
  })
})

describe('augmentBatch', () => {
  it('none is the identity; shift and crop are translations by up to 2 and 4 pixels', () => {
    expect(augmentBatch('none', images, 2, shape, 1)).toBe(images)
    expect(Array.from(augmentBatch('shift', images, 2, shape, 1))).toStrictEqual(Array.from(shiftImages(images, 2, shape, 1, 2)))
    expect(Array.from(augmentBatch('crop', images, 2, shape, 1))).toStrictEqual(Array.from(shiftImages(images, 2, shape, 1, CROP_PADDING)))
  })

  it('crop keeps a lit pixel lit within the padding, and crop-flip = flip(crop) with a separate seed', () => {
    const single = new Float32Array(20 * 20)
    single[10 * 20 + 10] = 1
    const cropped = augmentBatch('crop', single, 1, [20, 20, 1], 77)
    const lit = Array.from(cropped).findIndex((v) => v === 1)
    expect(Math.abs(Math.floor(lit / 20) - 10)).toBeLessThanOrEqual(CROP_PADDING)
    expect(Math.abs((lit % 20) - 10)).toBeLessThanOrEqual(CROP_PADDING)
    expect(cropped.reduce((a, b) => a + b, 0)).toBe(1)
    const both = augmentBatch('crop-flip', images, 2, shape, 4)
    const flipOnly = augmentBatch('flip', shiftImages(images, 2, shape, 4, CROP_PADDING), 2, shape, 4)
    expect(Array.from(both)).toStrictEqual(Array.from(flipOnly))
  })

  it('is reproducible for a seed and never modifies its input', () => {
    const copy = Float32Array.from(images)
    for (const name of AUGMENTATION_NAMES) {
      expect(Array.from(augmentBatch(name, images, 2, shape, 11))).toStrictEqual(Array.from(augmentBatch(name, images, 2, shape, 11)))
    }
    expect(Array.from(images)).toStrictEqual(Array.from(copy))
  })
})
