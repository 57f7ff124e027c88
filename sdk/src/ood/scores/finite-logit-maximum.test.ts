import { describe, expect, it } from 'vitest'
import { InputError, ShapeError } from '../../errors.js'
import { finiteLogitMaximum } from './finite-logit-maximum.js'

describe('finiteLogitMaximum', () => {
  it('returns the largest logit', () => {
    expect(finiteLogitMaximum([0.5, 3, -1])).toBe(3)
    expect(finiteLogitMaximum(new Float32Array([-2, -7]))).toBe(-2)
  })

  it('rejects empty and non-finite logits, naming the index', () => {
    expect(() => finiteLogitMaximum([])).toThrow(ShapeError)
    expect(() => finiteLogitMaximum([1, Number.NaN])).toThrow(InputError)
    try {
      finiteLogitMaximum([1, 2, -Infinity])
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).details).toStrictEqual({ index: 2 })
    }
  })
})
