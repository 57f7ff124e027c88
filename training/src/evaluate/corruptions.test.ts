import { deriveSeed } from '@sd-dropout/sdk'
import { describe, expect, it } from 'vitest'
import { CORRUPTION_NAMES, CORRUPTION_SEVERITIES, corruptImages } from './corruptions.js'

/** One 5 x 5 gray image with a single lit pixel at (row 1, column 2). */
const dot = new Float32Array(25)
dot[1 * 5 + 2] = 1

describe('corruptImages', () => {
  it('noise: clipped to [0, 1], mean shift ~0 and standard deviation ~sigma on mid-gray, reproducible', () => {
    const gray = new Float32Array(20000).fill(0.5)
    const noisy = corruptImages('noise', gray, 1, [100, 200, 1], 0.1)
    let sum = 0
    let squares = 0
    for (const v of noisy) {
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThanOrEqual(1)
      sum += v - 0.5
      squares += (v - 0.5) ** 2
    }
    expect(sum / 20000).toBeCloseTo(0, 2)
    expect(Math.sqrt(squares / 20000)).toBeCloseTo(0.1, 2)
    expect(Array.from(corruptImages('noise', gray, 1, [100, 200, 1], 0.1))).toStrictEqual(Array.from(noisy))
  })

  it('blur: keeps the total ink of an interior dot, symmetric, peak lower; constant images unchanged', () => {
    const image = new Float32Array(49)
    image[3 * 7 + 3] = 1
    const blurred = corruptImages('blur', image, 1, [7, 7, 1], 0.75)
    expect(blurred.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4)
    expect(blurred[3 * 7 + 3]).toBeLessThan(1)
    expect(blurred[3 * 7 + 2]).toBeCloseTo(blurred[3 * 7 + 4] as number, 7)
    expect(blurred[2 * 7 + 3]).toBeCloseTo(blurred[3 * 7 + 2] as number, 7)
    for (const v of corruptImages('blur', new Float32Array(12).fill(0.3), 1, [2, 2, 3], 2)) expect(v).toBeCloseTo(0.3, 6)
  })

  it('contrast: (x - m) c + m with the item mean m', () => {
    const out = corruptImages('contrast', Float32Array.of(0, 1, 0.5, 0.5, 1, 1), 2, [1, 3, 1], 0.5)
    // item 0: m = 0.5; item 1: m = 2.5 / 3
    const expected = [0.25, 0.75, 0.5, (0.5 - 2.5 / 3) / 2 + 2.5 / 3, (1 - 2.5 / 3) / 2 + 2.5 / 3, (1 - 2.5 / 3) / 2 + 2.5 / 3]
    Array.from(out).forEach((v, k) => expect(v).toBeCloseTo(expected[k] as number, 6))
  })

  it('rotation: 90 degrees moves a dot a quarter turn about the centre, in the item\'s drawn direction', () => {
    const out = corruptImages('rotation', dot, 1, [5, 5, 1], 90, 3)
    const lit = Array.from(out).findIndex((v) => v > 0.99)
    const clockwise = (deriveSeed(3, 0) & 1) === 1
    // (row 1, col 2) is 1 above the centre (2, 2): a quarter turn puts it 1 to the right or left
    expect(lit).toBe(clockwise ? 2 * 5 + 1 : 2 * 5 + 3)
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    expect(Array.from(corruptImages('rotation', dot, 1, [5, 5, 1], 0))).toStrictEqual(Array.from(dot))
  })

  it('has five increasing severities per corruption (contrast: decreasing factor)', () => {
    for (const name of CORRUPTION_NAMES) {
      const values = CORRUPTION_SEVERITIES[name]
      expect(values).toHaveLength(5)
      for (let s = 1; s < 5; s++) expect(name === 'contrast' ? values[s]! < values[s - 1]! : values[s]! > values[s - 1]!).toBe(true)
    }
  })
})
