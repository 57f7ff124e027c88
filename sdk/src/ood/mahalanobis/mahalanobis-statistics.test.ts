import { describe, expect, it } from 'vitest'
import { InputError, ShapeError } from '../../errors.js'
import { mahalanobisStatistics } from './mahalanobis-statistics.js'

describe('mahalanobisStatistics', () => {
  it('precomputes the centre, P (mu_c - m) and half the squared norms by hand', () => {
    // means (0, 0), (4, 2) -> m = (2, 1); P = diag(1, 4)
    const stats = mahalanobisStatistics(new Float32Array([0, 0, 4, 2]), new Float32Array([1, 0, 0, 4]), 2, 2, 0.25, 9)
    expect(Array.from(stats.center)).toStrictEqual([2, 1])
    expect(Array.from(stats.precisionTimesCenteredMeans)).toStrictEqual([-2, -4, 2, 4])
    expect(Array.from(stats.halfCenteredMeanNorms)).toStrictEqual([4, 4]) // 0.5 (4 + 4)
    expect(stats.shrinkage).toBe(0.25)
    expect(stats.fittedOn).toBe(9)
    expect(stats.symmetricPrecision).toBe(stats.precision) // symmetric: no copy
  })

  it('uses the symmetric part of a precision that is not exactly symmetric', () => {
    const precision = new Float32Array([2, 1.5, 0.5, 2])
    const stats = mahalanobisStatistics(new Float32Array([0, 0, 3, 1]), precision, 2, 2, 0, 1)
    expect(Array.from(stats.symmetricPrecision)).toStrictEqual([2, 1, 1, 2])
    expect(Array.from(stats.precision)).toStrictEqual([2, 1.5, 0.5, 2]) // stored values kept
    // m = (1.5, 0.5); q_1 = P_s (1.5, 0.5) = (3.5, 2.5)
    expect(Array.from(stats.precisionTimesCenteredMeans)).toStrictEqual([-3.5, -2.5, 3.5, 2.5])
  })

  it('validates shapes and values', () => {
    const means = new Float32Array([0, 0])
    const precision = new Float32Array([1, 0, 0, 1])
    expect(() => mahalanobisStatistics(means, precision, 3, 1, 0, 1)).toThrow(ShapeError)
    expect(() => mahalanobisStatistics(means, new Float32Array(3), 2, 1, 0, 1)).toThrow(ShapeError)
    expect(() => mahalanobisStatistics(means, precision, 0, 1, 0, 1)).toThrow(ShapeError)
    expect(() => mahalanobisStatistics(new Float32Array([0, Number.NaN]), precision, 2, 1, 0, 1)).toThrow(InputError)
    expect(() => mahalanobisStatistics(means, precision, 2, 1, 2, 1)).toThrow(InputError)
    expect(() => mahalanobisStatistics(means, precision, 2, 1, 0, -1)).toThrow(InputError)
  })
})
