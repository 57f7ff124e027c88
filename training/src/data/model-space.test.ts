import type { InputSpec } from '@sd-dropout/sdk'
import { describe, expect, it } from 'vitest'
import { fitChannelNormalization } from './channel-normalization.js'
import { fromModelSpace, isIdentityTransform, toModelSpace } from './model-space.js'

const image = (mean: number[], std: number[], scale = 1 / 255): InputSpec => ({
  shape: [1, 2, mean.length],
  kind: 'image',
  image: { channels: mean.length === 3 ? 3 : 1, height: 1, width: 2, scale, mean, std, invert: false, mnistCentering: false },
})

describe('fitChannelNormalization', () => {
  it('computes per-channel mean and population std by hand', () => {
    // 2 items of 2 RGB pixels: R = 0, 1, 0, 1; G = 0.5 everywhere; B = 0, 0, 0, 1
    const pixels = Float32Array.of(0, 0.5, 0, 1, 0.5, 0, 0, 0.5, 0, 1, 0.5, 1)
    const { mean, std } = fitChannelNormalization(pixels, 3)
    expect(mean).toStrictEqual([0.5, 0.5, 0.25])
    expect(std[0]).toBeCloseTo(0.5, 12)
    expect(std[1]).toBe(1) // constant channel: no division by 0
    expect(std[2]).toBeCloseTo(Math.sqrt(3 / 16), 7)
  })

  it('refuses an empty set', () => {
    expect(() => fitChannelNormalization(new Float32Array(0), 3)).toThrow(/no pixels/)
  })
})

describe('toModelSpace / fromModelSpace', () => {
  it('applies (x * 255 * scale - mean) / std per channel, as the SDK does for decoded images', () => {
    const spec = image([0.5, 0.25, 0], [0.5, 0.25, 2])
    const out = toModelSpace(Float32Array.of(1, 0.5, 1, 0, 0, 0.5), spec)
    expect(Array.from(out)).toStrictEqual([1, 1, 0.5, -1, -1, 0.25])
    expect(Array.from(fromModelSpace(out, spec))).toStrictEqual([1, 0.5, 1, 0, 0, 0.5])
  })

  it('returns the same array for the identity (MNIST bundles) and for vector models', () => {
    const pixels = Float32Array.of(0.1, 0.2)
    expect(isIdentityTransform(image([0], [1]))).toBe(true)
    expect(toModelSpace(pixels, image([0], [1]))).toBe(pixels)
    expect(toModelSpace(pixels, { shape: [2], kind: 'vector', image: null })).toBe(pixels)
    expect(isIdentityTransform(image([0], [1], 1))).toBe(false)
    expect(Array.from(toModelSpace(pixels, image([0], [1], 1)))).toStrictEqual([Math.fround(0.1 * 255), Math.fround(0.2 * 255)])
  })
})
