import { describe, expect, it } from 'vitest'
import { InputError, ShapeError } from '../errors.js'
import { dropoutHash } from '../masks/dropout-mask.js'
import { matrix, matrixFromRows } from '../math/matrix.js'
import { softmax } from '../math/softmax.js'
import { brierScore } from './brier-score.js'

describe('brierScore', () => {
  it('matches a hand-computed value', () => {
    // Squared errors per item: 0.01 + 0.0025 + 0.0025 = 0.015; 0.64 + 0.81 + 0.01 = 1.46;
    // 0.01 + 0.09 + 0.04 = 0.14; 0.09 + 0.09 + 0.36 = 0.54; 0.64 + 0.25 + 0.09 = 0.98;
    // 0.1225 + 0.16 + 0.0025 = 0.285. Sum 3.42, mean 0.57.
    const p = matrixFromRows([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3], [0.35, 0.6, 0.05]])
    expect(brierScore(p, [0, 1, 1, 2, 0, 1])).toBeCloseTo(0.57, 14)
  })
  it('is 0 for confident correct predictions and 2 for confident wrong ones', () => {
    expect(brierScore(matrixFromRows([[1, 0, 0], [0, 0, 1]]), [0, 2])).toBe(0)
    expect(brierScore(matrixFromRows([[1, 0, 0], [0, 0, 1]]), [1, 0])).toBe(2)
    expect(brierScore(matrixFromRows([[0.5, 0.5]]), [1])).toBe(0.5)
  })
  it('stays in [0, 2] for random probabilities', () => {
    for (let trial = 0; trial < 50; trial++) {
      const rows = 1 + (trial % 7)
      const cols = 2 + (trial % 5)
      const data = new Float64Array(rows * cols)
      const labels: number[] = []
      for (let i = 0; i < rows; i++) {
        const z = Array.from({ length: cols }, (_, j) => (dropoutHash(trial, i, j) / 2 ** 32 - 0.5) * 12)
        data.set(softmax(z), i * cols)
        labels.push(dropoutHash(trial, i, 99) % cols)
      }
      const score = brierScore(matrix(data, rows, cols), labels)
      expect(score).toBeGreaterThanOrEqual(0)
      expect(score).toBeLessThanOrEqual(2)
    }
  })
  it('rejects empty, wrong-length and NaN input', () => {
    expect(() => brierScore(matrix(new Float64Array(0), 0, 2), [])).toThrow(/empty/)
    expect(() => brierScore(matrixFromRows([[0.5, 0.5]]), [])).toThrow(ShapeError)
    expect(() => brierScore(matrixFromRows([[Number.NaN, 0.5]]), [0])).toThrow(InputError)
  })
})
