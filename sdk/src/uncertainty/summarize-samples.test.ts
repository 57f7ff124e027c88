import { describe, expect, it } from 'vitest'
import { ShapeError } from '../errors.js'
import { entropy } from '../math/entropy.js'
import { softmax } from '../math/softmax.js'
import { argmax, summarizeDeterministic, summarizeSamples } from './summarize-samples.js'

function randomLogits(n: number, seed: number): Float32Array {
  let state = seed
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    out[i] = (state / 2 ** 32 - 0.5) * 8
  }
  return out
}

describe('summarizeSamples', () => {
  it('gives hand-computed values for two disagreeing samples', () => {
    const u = summarizeSamples(new Float32Array([2, 0, 0, 2]), 2, 2)
    const p = softmax([2, 0])
    expect(u.probabilities[0]).toBeCloseTo(0.5, 12)
    expect(u.predictiveEntropy).toBeCloseTo(Math.LN2, 12)
    expect(u.expectedEntropy).toBeCloseTo(entropy(p), 12)
    expect(u.mutualInformation).toBeCloseTo(Math.LN2 - entropy(p), 12)
    // label 0 (tie -> first); p_s[0] = p0 and 1 - p0
    const p0 = p[0] as number
    expect(u.variance).toBeCloseTo(((p0 - 0.5) ** 2 + (1 - p0 - 0.5) ** 2) / 2, 12)
    expect(u.label).toBe(0)
  })

  it('applies the temperature to every sample', () => {
    const u = summarizeSamples([4, 0], 1, 2, 2)
    expect(Array.from(u.probabilities)).toStrictEqual(Array.from(softmax([2, 0])))
  })

  it('has zero mutual information and variance when all samples agree', () => {
    const u = summarizeSamples([1, 2, 3, 1, 2, 3, 1, 2, 3], 3, 3)
    expect(u.mutualInformation).toBeCloseTo(0, 12)
    expect(u.variance).toBeCloseTo(0, 12)
    expect(u.predictiveEntropy).toBeCloseTo(u.expectedEntropy, 12)
  })

  it('satisfies sum(p) = 1, MI >= -1e-7 and 0 <= variance <= 0.25 on random logits', () => {
    for (let trial = 0; trial < 200; trial++) {
      const samples = 1 + (trial % 9)
      const classes = 2 + (trial % 13)
      const u = summarizeSamples(randomLogits(samples * classes, trial + 1), samples, classes, 0.5 + (trial % 4))
      expect(u.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10)
      expect(u.mutualInformation).toBeGreaterThanOrEqual(-1e-7)
      expect(u.variance).toBeGreaterThanOrEqual(0)
      expect(u.variance).toBeLessThanOrEqual(0.25)
      expect(u.predictiveEntropy).toBeLessThanOrEqual(Math.log(classes) + 1e-12)
      expect(u.label).toBe(argmax(u.probabilities))
    }
  })

  it('rejects a length that is not S x C', () => {
    expect(() => summarizeSamples(new Float32Array(5), 2, 3)).toThrow(ShapeError)
    expect(() => summarizeSamples(new Float32Array(0), 0, 3)).toThrow(ShapeError)
  })
})

describe('summarizeDeterministic (S = 0)', () => {
  it('has predictive = expected entropy and zero MI and variance', () => {
    const u = summarizeDeterministic([3, 1, 0], 1.5)
    expect(u.predictiveEntropy).toBe(u.expectedEntropy)
    expect(u.mutualInformation).toBe(0)
    expect(u.variance).toBe(0)
    expect(u.predictiveEntropy).toBeCloseTo(entropy(softmax([3, 1, 0], 1.5)), 12)
    expect(u.label).toBe(0)
  })
  it('argmax takes the first maximum', () => {
    expect(argmax([0.2, 0.5, 0.5])).toBe(1)
    expect(argmax([])).toBe(-1)
  })
})
