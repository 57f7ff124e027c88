import { describe, expect, it } from 'vitest'
import { OptionError, ShapeError } from '../errors.js'
import { entropy, entropyFromLogits } from './entropy.js'
import { klDivergence, klDivergenceFromLogits } from './kl-divergence.js'
import { logSumExp } from './log-sum-exp.js'
import { matrix, matrixFromRows, row } from './matrix.js'
import { logSoftmax, softmax } from './softmax.js'

describe('logSumExp', () => {
  it('matches the direct formula on small values', () => {
    expect(logSumExp([1, 2, 3])).toBeCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 12)
    expect(logSumExp([1, 2], 0.5)).toBeCloseTo(Math.log(Math.exp(0.5) + Math.exp(1)), 12)
  })
  it('does not overflow or underflow', () => {
    expect(logSumExp([1000, 1000])).toBeCloseTo(1000 + Math.LN2, 10)
    expect(logSumExp([-1000, -1000])).toBeCloseTo(-1000 + Math.LN2, 10)
  })
  it('handles empty, infinite and NaN input', () => {
    expect(logSumExp([])).toBe(-Infinity)
    expect(logSumExp([Infinity, 0])).toBe(Infinity)
    expect(logSumExp([-Infinity, -Infinity])).toBe(-Infinity)
    expect(logSumExp([-Infinity, 0])).toBe(0)
    expect(logSumExp([1, Number.NaN])).toBeNaN()
  })
})

describe('softmax and logSoftmax', () => {
  it('gives known values and honours the temperature', () => {
    const p = softmax([Math.log(1), Math.log(3)])
    expect(p[0]).toBeCloseTo(0.25, 14)
    expect(p[1]).toBeCloseTo(0.75, 14)
    expect(Array.from(softmax([2, 0], 2))).toStrictEqual(Array.from(softmax([1, 0])))
  })
  it('sums to 1 for random and extreme logits', () => {
    for (const logits of [[1e4, -1e4, 0], [-50, -50.5, -49], [0], [3.2, 1.1, -7, 0.4, 12]]) {
      const p = softmax(logits, 0.7)
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
      for (const v of p) expect(v).toBeGreaterThanOrEqual(0)
    }
  })
  it('logSoftmax stays finite where softmax underflows', () => {
    expect(Array.from(logSoftmax([0, -2000]))).toStrictEqual([0, -2000])
    const z = [0.3, -1.2, 2.5]
    const lp = logSoftmax(z, 1.7)
    softmax(z, 1.7).forEach((p, j) => expect(lp[j]).toBeCloseTo(Math.log(p), 12))
  })
  it('rejects a temperature that is not finite and positive', () => {
    expect(() => softmax([1, 2], 0)).toThrow(OptionError)
    expect(() => softmax([1, 2], -1)).toThrow(OptionError)
    expect(() => logSoftmax([1, 2], Number.POSITIVE_INFINITY)).toThrow(OptionError)
  })
})

describe('entropy', () => {
  it('gives known values in nats', () => {
    expect(entropy([0.5, 0.5])).toBeCloseTo(Math.LN2, 14)
    expect(entropy([1, 0, 0])).toBe(0)
    expect(entropy([0.25, 0.25, 0.25, 0.25])).toBeCloseTo(Math.log(4), 14)
  })
  it('from logits equals entropy of the softmax, and is 0 (not NaN) when saturated', () => {
    const z = [0.5, 2, -1, 0]
    expect(entropyFromLogits(z, 1.3)).toBeCloseTo(entropy(softmax(z, 1.3)), 12)
    expect(entropyFromLogits([1e4, 0])).toBe(0)
  })
})

describe('KL divergence', () => {
  it('gives known values', () => {
    expect(klDivergence([1, 0], [0.5, 0.5])).toBeCloseTo(Math.LN2, 14)
    expect(klDivergence([0.5, 0.5], [0.5, 0.5])).toBe(0)
    expect(klDivergence([0.5, 0.5], [1, 0])).toBe(Infinity)
  })
  it('from logits matches the probability form and is asymmetric', () => {
    const a = [3, 0, -1]
    const b = [0, 3, 1]
    expect(klDivergenceFromLogits(a, b, 3)).toBeCloseTo(klDivergence(softmax(a, 3), softmax(b, 3)), 12)
    expect(klDivergenceFromLogits(a, b)).not.toBeCloseTo(klDivergenceFromLogits(b, a), 3)
    expect(klDivergenceFromLogits(a, a, 2)).toBe(0)
  })
})

describe('matrix', () => {
  it('checks shapes and gives row views', () => {
    const m = matrix(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3)
    expect(Array.from(row(m, 1))).toStrictEqual([4, 5, 6])
    expect(() => matrix(new Float32Array(5), 2, 3)).toThrow(ShapeError)
    expect(() => matrixFromRows([[1, 2], [3]])).toThrow(ShapeError)
    expect(Array.from(matrixFromRows([[1, 2], [3, 4]]).data)).toStrictEqual([1, 2, 3, 4])
  })
})
