import { describe, expect, it } from 'vitest'
import { shiftImages } from './augment-shift.js'

describe('shiftImages', () => {
  it('moves a single lit pixel by at most maxShift and keeps it lit (away from the border)', () => {
    const images = new Float32Array(2 * 7 * 7)
    images[3 * 7 + 3] = 1
    images[49 + 3 * 7 + 3] = 0.5
    const out = shiftImages(images, 2, [7, 7, 1], 42, 2)
    for (let item = 0; item < 2; item++) {
      const lit = Array.from(out.subarray(item * 49, (item + 1) * 49)).flatMap((v, i) => (v > 0 ? [i] : []))
      expect(lit).toHaveLength(1)
      const position = lit[0] as number
      expect(Math.abs(Math.floor(position / 7) - 3)).toBeLessThanOrEqual(2)
      expect(Math.abs((position % 7) - 3)).toBeLessThanOrEqual(2)
      expect(out[item * 49 + position]).toBe(item === 0 ? 1 : 0.5)
    }
    expect(Array.from(shiftImages(images, 2, [7, 7, 1], 42, 2))).toStrictEqual(Array.from(out))
  })

  it('is the identity at maxShift 0', () => {
    const images = Float32Array.from({ length: 18 }, (_, i) => i)
    expect(Array.from(shiftImages(images, 2, [3, 3, 1], 1, 0))).toStrictEqual(Array.from(images))
  })
})
