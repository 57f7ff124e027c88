import { describe, expect, it } from 'vitest'
import { InputError, ShapeError } from '../errors.js'
import { matrix, matrixFromRows } from '../math/matrix.js'
import { accuracy } from './accuracy.js'

describe('accuracy', () => {
  it('counts argmax hits, resolving ties to the first index', () => {
    // Predictions 0, 0, 1, 2, 1, 1 against labels 0, 1, 1, 2, 0, 1: four of six right.
    const p = matrixFromRows([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3], [0.35, 0.6, 0.05]])
    expect(accuracy(p, [0, 1, 1, 2, 0, 1])).toBeCloseTo(4 / 6, 15)
    expect(accuracy(matrixFromRows([[0.5, 0.5], [0.5, 0.5]]), [0, 1])).toBe(0.5)
  })
  it('is 1 for a single class and all correct', () => {
    expect(accuracy(matrixFromRows([[1], [1]]), [0, 0])).toBe(1)
  })
  it('rejects empty, wrong-length and invalid input', () => {
    expect(() => accuracy(matrix(new Float64Array(0), 0, 2), [])).toThrow(InputError)
    expect(() => accuracy(matrixFromRows([[0.5, 0.5]]), [0, 1])).toThrow(ShapeError)
    expect(() => accuracy(matrixFromRows([[0.5, 0.5]]), [2])).toThrow(InputError)
  })
})
