import { describe, expect, it } from 'vitest'
import { InputError, ShapeError } from '../../errors.js'
import { maxLogitScore } from './max-logit.js'

describe('maxLogitScore', () => {
  it('is minus the largest logit', () => {
    expect(maxLogitScore([2, 7, -1])).toBe(-7)
    expect(maxLogitScore(new Float32Array([-3, -5]))).toBe(3)
    expect(maxLogitScore([1e4, 1e4, 0])).toBe(-1e4)
    expect(maxLogitScore([0, -1])).toBe(0) // +0, not -0
  })

  it('rejects non-finite or missing logits', () => {
    expect(() => maxLogitScore([Number.NaN, 1])).toThrow(InputError)
    expect(() => maxLogitScore([-Infinity, 1])).toThrow(InputError)
    expect(() => maxLogitScore([])).toThrow(ShapeError)
  })
})
