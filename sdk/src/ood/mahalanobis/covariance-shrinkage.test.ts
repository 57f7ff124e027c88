import { describe, expect, it } from 'vitest'
import { OptionError } from '../../errors.js'
import { ledoitWolfShrinkage, resolveShrinkage, shrinkCovariance } from './covariance-shrinkage.js'

describe('shrinkCovariance', () => {
  it('mixes toward (tr / D) I and keeps the trace', () => {
    const covariance = new Float64Array([3, 1, 1, 1])
    expect(Array.from(shrinkCovariance(covariance, 2, 0.5))).toStrictEqual([2.5, 0.5, 0.5, 1.5])
    expect(Array.from(shrinkCovariance(covariance, 2, 0))).toStrictEqual([3, 1, 1, 1])
    expect(Array.from(shrinkCovariance(covariance, 2, 1))).toStrictEqual([2, 0, 0, 2])
  })

  it('rejects weights outside [0, 1]', () => {
    expect(() => shrinkCovariance(new Float64Array([1]), 1, 1.5)).toThrow(OptionError)
    expect(() => shrinkCovariance(new Float64Array([1]), 1, Number.NaN)).toThrow(OptionError)
  })
})

describe('ledoitWolfShrinkage (Rao-Blackwellised)', () => {
  it('matches the Chen et al. (2010) formula on a hand-worked case', () => {
    // S = diag(2, 1): tr = 3, tr(S^2) = 5, p = 2, n = 100
    expect(ledoitWolfShrinkage(new Float64Array([2, 0, 0, 1]), 2, 100)).toBeCloseTo((0.98 * 5 + 9) / (102 * (5 - 9 / 2)), 14)
  })

  it('is scale invariant, 1 for an isotropic S, and falls as n grows', () => {
    const s = new Float64Array([4, 1, 0.5, 1, 3, 0, 0.5, 0, 1])
    const scaled = s.map((v) => v * 1000)
    expect(ledoitWolfShrinkage(scaled, 3, 50)).toBeCloseTo(ledoitWolfShrinkage(s, 3, 50), 12)
    expect(ledoitWolfShrinkage(new Float64Array([2, 0, 0, 2]), 2, 10)).toBe(1)
    const small = ledoitWolfShrinkage(s, 3, 20)
    const large = ledoitWolfShrinkage(s, 3, 20_000)
    expect(large).toBeLessThan(small)
    expect(large).toBeGreaterThan(0)
    expect(small).toBeLessThanOrEqual(1)
  })
})

describe('resolveShrinkage', () => {
  it('passes numbers through and estimates for ledoit-wolf', () => {
    const s = new Float64Array([2, 0, 0, 1])
    expect(resolveShrinkage(0.25, s, 2, 100)).toBe(0.25)
    expect(resolveShrinkage('ledoit-wolf', s, 2, 100)).toBe(ledoitWolfShrinkage(s, 2, 100))
    expect(() => resolveShrinkage(-0.1, s, 2, 100)).toThrow(OptionError)
  })
})
