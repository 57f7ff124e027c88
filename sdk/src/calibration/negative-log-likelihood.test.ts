import { describe, expect, it } from 'vitest'
import { InputError, OptionError, ShapeError } from '../errors.js'
import { matrix, matrixFromRows } from '../math/matrix.js'
import { softmax } from '../math/softmax.js'
import { negativeLogLikelihood, negativeLogLikelihoodFromLogits, PROBABILITY_FLOOR } from './negative-log-likelihood.js'

describe('negativeLogLikelihood', () => {
  it('is the mean of -ln p_y', () => {
    // p_y = 0.9, 0.1, 0.7, 0.4, 0.2, 0.6.
    const p = matrixFromRows([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3], [0.35, 0.6, 0.05]])
    const expected = -(Math.log(0.9) + Math.log(0.1) + Math.log(0.7) + Math.log(0.4) + Math.log(0.2) + Math.log(0.6)) / 6
    expect(negativeLogLikelihood(p, [0, 1, 1, 2, 0, 1])).toBeCloseTo(expected, 14)
    expect(negativeLogLikelihood(matrixFromRows([[0.5, 0.5], [0.25, 0.75]]), [0, 1])).toBeCloseTo((Math.LN2 + Math.log(4 / 3)) / 2, 14)
  })
  it('clamps p_y = 0 at 1e-12 instead of returning Infinity', () => {
    expect(PROBABILITY_FLOOR).toBe(1e-12)
    expect(negativeLogLikelihood(matrixFromRows([[1, 0]]), [1])).toBeCloseTo(-Math.log(1e-12), 12)
    expect(negativeLogLikelihood(matrixFromRows([[1, 0]]), [0])).toBe(0)
  })
  it('rejects empty, wrong-length and invalid input', () => {
    expect(() => negativeLogLikelihood(matrix(new Float64Array(0), 0, 2), [])).toThrow(/empty/)
    expect(() => negativeLogLikelihood(matrixFromRows([[0.5, 0.5]]), [0, 0])).toThrow(ShapeError)
    expect(() => negativeLogLikelihood(matrixFromRows([[0.5, 0.5]]), [5])).toThrow(InputError)
    expect(() => negativeLogLikelihood(matrixFromRows([[0.5, Infinity]]), [0])).toThrow(InputError)
  })
})

describe('negativeLogLikelihoodFromLogits', () => {
  it('equals the probability form on softmax(z / T)', () => {
    const logits = [[2, 0, -1], [0.5, 1.5, 0], [-3, 4, 1]]
    const labels = [0, 2, 1]
    for (const temperature of [0.5, 1, 3]) {
      const probabilities = matrixFromRows(logits.map((z) => Array.from(softmax(z, temperature))))
      expect(negativeLogLikelihoodFromLogits(matrixFromRows(logits), labels, temperature)).toBeCloseTo(negativeLogLikelihood(probabilities, labels), 12)
    }
    expect(negativeLogLikelihoodFromLogits(matrixFromRows([[2, 0]]), [0], 2)).toBeCloseTo(Math.log(1 + Math.exp(-1)), 14)
  })
  it('stays exact where probabilities underflow (no clamp needed)', () => {
    expect(negativeLogLikelihoodFromLogits(matrixFromRows([[0, -2000]]), [1])).toBeCloseTo(2000, 9)
    expect(negativeLogLikelihoodFromLogits(matrixFromRows([[1e4, 1e4]]), [1])).toBeCloseTo(Math.LN2, 9)
  })
  it('rejects a bad temperature and invalid logits', () => {
    expect(() => negativeLogLikelihoodFromLogits(matrixFromRows([[1, 0]]), [0], 0)).toThrow(OptionError)
    expect(() => negativeLogLikelihoodFromLogits(matrixFromRows([[1, Number.NaN]]), [0])).toThrow(InputError)
    expect(() => negativeLogLikelihoodFromLogits(matrix(new Float64Array(0), 0, 4), [])).toThrow(/empty/)
  })
})
