import { describe, expect, it } from 'vitest'
import { InputError, ShapeError } from '../errors.js'
import { dropoutHash } from '../masks/dropout-mask.js'
import { areaUnderRiskCoverage, excessAreaUnderRiskCoverage } from './risk-coverage.js'

// Confidence descending with correctness: 0.9 right, 0.8 wrong, 0.7 right, 0.6 right, 0.5 wrong, 0.4 right.
const confidence = [0.4, 0.9, 0.6, 0.8, 0.5, 0.7]
const correct = [true, true, true, false, false, true]

describe('areaUnderRiskCoverage', () => {
  it('matches the hand computation', () => {
    // risk(k) for k = 1..6: 0/1, 1/2, 1/3, 1/4, 2/5, 2/6. Sum = 109/60; AURC = 109/360.
    expect(areaUnderRiskCoverage(confidence, correct)).toBeCloseTo(109 / 360, 14)
    expect(areaUnderRiskCoverage([0.9, 0.8], [1, 0])).toBeCloseTo(0.25, 15)
  })
  it('is 0 when all are right, 1 when all are wrong', () => {
    expect(areaUnderRiskCoverage([0.3, 0.9, 0.5], [true, true, true])).toBe(0)
    expect(areaUnderRiskCoverage([0.3, 0.9, 0.5], [false, false, false])).toBe(1)
  })
  it('treats ties as one group: the mean over every order of the tied items', () => {
    // Groups 0.9: {right, wrong}; 0.5: {right, right}. Orders inside the first group give
    // (0 + 1/2 + 1/3 + 1/4) / 4 = 13/48 and (1 + 1/2 + 1/3 + 1/4) / 4 = 25/48; their mean is 19/48.
    const aurc = areaUnderRiskCoverage([0.9, 0.9, 0.5, 0.5], [true, false, true, true])
    expect(aurc).toBeCloseTo(19 / 48, 14)
    expect(areaUnderRiskCoverage([0.5, 0.9, 0.5, 0.9], [true, false, true, true])).toBeCloseTo(aurc, 15)
    // A constant confidence cannot rank: AURC is the error rate.
    expect(areaUnderRiskCoverage([0.7, 0.7, 0.7, 0.7, 0.7], [1, 0, 1, 1, 0])).toBeCloseTo(0.4, 15)
  })
  it('rejects empty, wrong-length and invalid input', () => {
    expect(() => areaUnderRiskCoverage([], [])).toThrow(/empty/)
    expect(() => areaUnderRiskCoverage([0.5, 0.4], [true])).toThrow(ShapeError)
    expect(() => areaUnderRiskCoverage([Number.NaN], [true])).toThrow(InputError)
    expect(() => areaUnderRiskCoverage([0.5], [0.5])).toThrow(InputError)
  })
})

describe('excessAreaUnderRiskCoverage', () => {
  it('matches the hand computation with the discrete oracle', () => {
    // 4 right of 6: oracle risk is 0 up to k = 4, then 1/5 and 2/6: AURC* = (1/5 + 1/3) / 6 = 4/45.
    // E-AURC = 109/360 - 32/360 = 77/360. (The continuous r + (1 - r) ln(1 - r) would give 0.063.)
    expect(excessAreaUnderRiskCoverage(confidence, correct)).toBeCloseTo(77 / 360, 14)
  })
  it('is 0 for a perfect ranking, with or without ties inside the right or wrong items', () => {
    expect(excessAreaUnderRiskCoverage([0.9, 0.8, 0.7, 0.6], [1, 1, 0, 0])).toBeCloseTo(0, 15)
    expect(excessAreaUnderRiskCoverage([0.9, 0.9, 0.5, 0.5, 0.5], [1, 1, 0, 0, 0])).toBeCloseTo(0, 15)
    expect(excessAreaUnderRiskCoverage([0.3, 0.2], [false, false])).toBe(0)
    expect(excessAreaUnderRiskCoverage([0.3, 0.2], [true, true])).toBe(0)
  })
  it('is >= 0 and at most AURC on random data', () => {
    for (let trial = 0; trial < 30; trial++) {
      const n = 1 + ((trial * 11) % 80)
      const c = Array.from({ length: n }, (_, i) => (dropoutHash(trial, i, 0) % 20) / 20)
      const ok = Array.from({ length: n }, (_, i) => dropoutHash(trial, i, 1) % 3 !== 0)
      const excess = excessAreaUnderRiskCoverage(c, ok)
      expect(excess).toBeGreaterThanOrEqual(0)
      expect(excess).toBeLessThanOrEqual(areaUnderRiskCoverage(c, ok))
    }
  })
  it('validates like AURC', () => {
    expect(() => excessAreaUnderRiskCoverage([], [])).toThrow(InputError)
  })
})
