import { describe, expect, it } from 'vitest'
import { InputError, OptionError, ShapeError } from '../../errors.js'
import { softmax } from '../../math/softmax.js'
import { maxSoftmaxProbabilityScore } from './max-softmax-probability.js'

describe('maxSoftmaxProbabilityScore', () => {
  it('is 1 - max softmax on hand-computed logits', () => {
    expect(maxSoftmaxProbabilityScore([Math.log(3), 0], 1)).toBeCloseTo(0.25, 15)
    expect(maxSoftmaxProbabilityScore([Math.log(2), Math.log(1), Math.log(1)], 1)).toBeCloseTo(0.5, 15)
    const z = [1.3, -0.2, 2.9, 0.4]
    expect(maxSoftmaxProbabilityScore(z, 1.7)).toBeCloseTo(1 - Math.max(...softmax(z, 1.7)), 14)
  })

  it('applies the temperature: T = 2 on z equals T = 1 on z / 2', () => {
    expect(maxSoftmaxProbabilityScore([4, 0, 2], 2)).toBeCloseTo(maxSoftmaxProbabilityScore([2, 0, 1], 1), 15)
  })

  it('gives 1 - 1/C for tied logits and stays exact for huge or tiny logits', () => {
    expect(maxSoftmaxProbabilityScore([7, 7, 7, 7], 1)).toBeCloseTo(0.75, 15)
    expect(maxSoftmaxProbabilityScore([1e4, 1e4], 1)).toBeCloseTo(0.5, 15)
    expect(maxSoftmaxProbabilityScore([-1e4, -1e4 - Math.log(3)], 1)).toBeCloseTo(0.25, 12)
    expect(maxSoftmaxProbabilityScore([1e4, 0], 1)).toBe(0) // 1 - exp(-1e4) rounds to 0, not negative
    // 1 - p for a confident prediction keeps its precision: 1 - 1/(1 + e^-30) = e^-30 / (1 + e^-30)
    const expected = Math.exp(-30) / (1 + Math.exp(-30))
    expect(maxSoftmaxProbabilityScore([30, 0], 1) / expected).toBeCloseTo(1, 12)
  })

  it('rejects a bad temperature and non-finite or missing logits', () => {
    expect(() => maxSoftmaxProbabilityScore([1, 2], 0)).toThrow(OptionError)
    expect(() => maxSoftmaxProbabilityScore([1, Number.NaN], 1)).toThrow(InputError)
    expect(() => maxSoftmaxProbabilityScore([Infinity, 0], 1)).toThrow(InputError)
    expect(() => maxSoftmaxProbabilityScore([], 1)).toThrow(ShapeError)
  })
})
