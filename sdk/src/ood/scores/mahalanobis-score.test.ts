import { describe, expect, it } from 'vitest'
import { InputError, ShapeError } from '../../errors.js'
import { mahalanobisStatistics } from '../mahalanobis/mahalanobis-statistics.js'
import { mahalanobisScore } from './mahalanobis-score.js'

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/** min_c (h - mu_c)^T P (h - mu_c), straight from the definition, in float64. */
function directScore(h: ArrayLike<number>, means: Float32Array, precision: Float32Array, d: number, classes: number): number {
  let best = Infinity
  for (let c = 0; c < classes; c++) {
    let distance = 0
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        distance += ((h[a] as number) - (means[c * d + a] as number)) * (precision[a * d + b] as number) * ((h[b] as number) - (means[c * d + b] as number))
      }
    }
    best = Math.min(best, distance)
  }
  return best
}

describe('mahalanobisScore', () => {
  it('gives hand-computed distances in 2-D', () => {
    // means (0, 0) and (4, 0); covariance diag(1, 0.25) -> precision diag(1, 4)
    const stats = mahalanobisStatistics(new Float32Array([0, 0, 4, 0]), new Float32Array([1, 0, 0, 4]), 2, 2, 0, 10)
    expect(mahalanobisScore([1, 1], stats)).toBeCloseTo(5, 12) // min(1 + 4, 9 + 4)
    expect(mahalanobisScore([3, 0.5], stats)).toBeCloseTo(2, 12) // min(9 + 1, 1 + 1)
    expect(mahalanobisScore([4, 0], stats)).toBe(0)
    // a correlated precision [[2, 1], [1, 2]]: h = (1, 0) -> 2 to class 0, 18 to class 1
    const correlated = mahalanobisStatistics(new Float32Array([0, 0, 4, 0]), new Float32Array([2, 1, 1, 2]), 2, 2, 0, 10)
    expect(mahalanobisScore([1, 0], correlated)).toBeCloseTo(2, 12)
    expect(mahalanobisScore([1, -1], correlated)).toBeCloseTo(2, 12) // (1, -1) P (1, -1) = 2 - 2 + 2
  })

  it('equals the direct formula on random statistics, also far from the origin', () => {
    const next = random(7)
    const d = 6
    const classes = 4
    const means = new Float32Array(classes * d).map(() => 100 + next() * 4)
    // precision = A A^T + 0.5 I (symmetric positive definite)
    const a = Array.from({ length: d * d }, () => next() - 0.5)
    const precision = new Float32Array(d * d)
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = i === j ? 0.5 : 0
        for (let k = 0; k < d; k++) s += (a[i * d + k] as number) * (a[j * d + k] as number)
        precision[i * d + j] = s
      }
    }
    const stats = mahalanobisStatistics(means, precision, d, classes, 0.1, 50)
    for (let item = 0; item < 40; item++) {
      const h = Array.from({ length: d }, () => 100 + next() * 6 - 1)
      const expected = directScore(h, means, precision, d, classes)
      expect(Math.abs(mahalanobisScore(h, stats) - expected)).toBeLessThan(1e-9 * Math.max(1, expected))
    }
    // at a class mean the distance is 0 (up to rounding), never negative
    const atMean = mahalanobisScore(means.subarray(2 * d, 3 * d), stats)
    expect(atMean).toBeGreaterThanOrEqual(0)
    expect(atMean).toBeLessThan(1e-9)
  })

  it('uses the symmetric part of a stored precision that is not exactly symmetric', () => {
    const means = new Float32Array([0, 0, 3, 1])
    const precision = new Float32Array([2, 1.5, 0.5, 2]) // symmetric part [[2, 1], [1, 2]]
    const stats = mahalanobisStatistics(means, precision, 2, 2, 0, 1)
    for (const h of [[1, 0], [2.5, -1], [0.3, 0.7]]) {
      expect(mahalanobisScore(h, stats)).toBeCloseTo(directScore(h, means, precision, 2, 2), 12)
    }
  })

  it('rejects a feature vector of the wrong length or with NaN', () => {
    const stats = mahalanobisStatistics(new Float32Array([0, 0]), new Float32Array([1, 0, 0, 1]), 2, 1, 0, 1)
    expect(() => mahalanobisScore([1, 2, 3], stats)).toThrow(ShapeError)
    expect(() => mahalanobisScore([1, Number.NaN], stats)).toThrow(InputError)
  })
})
