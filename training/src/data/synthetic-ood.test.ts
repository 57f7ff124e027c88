import { describe, expect, it } from 'vitest'
import type { Dataset } from './dataset.js'
import { syntheticOodSet, syntheticOodSetInModelSpace } from './synthetic-ood.js'

const source: Dataset = {
  name: 'tiny',
  images: Float32Array.from({ length: 3 * 4 }, (_, i) => (i % 4) / 4),
  labels: Int32Array.of(0, 1, 2),
  count: 3,
  itemShape: [2, 2, 1],
  classes: 3,
}

describe('syntheticOodSet', () => {
  it('makes reproducible uniform noise in [0, 1) with mean near 1/2', () => {
    const noise = syntheticOodSet('uniform-noise', source, 500)
    expect(noise.count).toBe(500)
    expect(Array.from(syntheticOodSet('uniform-noise', source, 500).images)).toStrictEqual(Array.from(noise.images))
    let sum = 0
    for (const v of noise.images) {
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThan(1)
      sum += v
    }
    expect(Math.abs(sum / noise.images.length - 0.5)).toBeLessThan(0.02)
  })

  it('permutes pixel positions the same way in every image (a multiset-preserving shuffle)', () => {
    const permuted = syntheticOodSet('pixel-permuted', source)
    expect(permuted.count).toBe(3)
    for (let item = 0; item < 3; item++) {
      const original = Array.from(source.images.subarray(item * 4, item * 4 + 4)).sort()
      expect(Array.from(permuted.images.subarray(item * 4, item * 4 + 4)).sort()).toStrictEqual(original)
    }
    expect(Array.from(permuted.images.subarray(0, 4))).toStrictEqual(Array.from(permuted.images.subarray(4, 8)))
  })

  it('inverts intensities', () => {
    const inverted = syntheticOodSet('inverted', source, 2)
    expect(Array.from(inverted.images)).toStrictEqual([1, 0.75, 0.5, 0.25, 1, 0.75, 0.5, 0.25])
  })
})

describe('syntheticOodSetInModelSpace', () => {
  it('makes the set in pixel space and normalises it: inverted (1 - x) of normalised data', () => {
    const input = { shape: [2, 2, 1], kind: 'image' as const, image: { channels: 1 as const, height: 2, width: 2, scale: 1 / 255, mean: [0.5], std: [0.25], invert: false, mnistCentering: false } }
    const normalised = { ...source, images: source.images.map((x) => (x - 0.5) / 0.25) }
    const inverted = syntheticOodSetInModelSpace('inverted', normalised, 3, input)
    // pixel x -> 1 - x -> (1 - x - 0.5) / 0.25 = -(model value)
    Array.from(inverted.images).forEach((v, i) => expect(v).toBeCloseTo(-(normalised.images[i] as number), 5))
    expect(syntheticOodSetInModelSpace('uniform-noise', source, 4, { ...input, image: { ...input.image, mean: [0], std: [1] } })).toStrictEqual(syntheticOodSet('uniform-noise', source, 4))
  })
})
