import { describe, expect, it } from 'vitest'
import { InputError, OptionError, ShapeError } from '../errors.js'
import { selectiveThreshold } from './selective-threshold.js'

// Descending: 0.9 right, 0.8 wrong, 0.7 right, 0.6 right, 0.5 wrong, 0.4 right. Cumulative risk
// at coverage 1/6..6/6: 0, 1/2, 1/3, 1/4, 2/5, 1/3.
const confidence = [0.4, 0.9, 0.6, 0.8, 0.5, 0.7]
const correct = [true, true, true, false, false, true]

describe('selectiveThreshold', () => {
  it('takes the largest coverage whose risk meets the target, scanning past failures', () => {
    expect(selectiveThreshold(confidence, correct, 0.25)).toStrictEqual({ threshold: 0.6, coverage: 4 / 6, risk: 0.25 })
    // Risk rises to 0.4 at 0.5 and falls back to 1/3 at 0.4: everything is accepted.
    expect(selectiveThreshold(confidence, correct, 0.34)).toStrictEqual({ threshold: 0.4, coverage: 1, risk: 1 / 3 })
    expect(selectiveThreshold(confidence, correct, 0.1)).toStrictEqual({ threshold: 0.9, coverage: 1 / 6, risk: 0 })
    expect(selectiveThreshold(confidence, correct, 1)).toStrictEqual({ threshold: 0.4, coverage: 1, risk: 1 / 3 })
  })
  it('abstains on everything (threshold +Infinity) when no threshold meets the target', () => {
    expect(selectiveThreshold([0.9, 0.5], [false, true], 0.2)).toStrictEqual({ threshold: Infinity, coverage: 0, risk: 0 })
  })
  it('accepts or rejects tied confidences together', () => {
    // 0.9 x 2 (both right), then 0.8 x 2 (one wrong): risk 0 at 2/4, 1/4 at 4/4; no cut inside the tie.
    expect(selectiveThreshold([0.9, 0.8, 0.9, 0.8], [1, 0, 1, 1], 0.2)).toStrictEqual({ threshold: 0.9, coverage: 0.5, risk: 0 })
  })
  it('rejects a target outside [0, 1] and invalid input', () => {
    for (const bad of [-0.1, 1.5, Number.NaN]) expect(() => selectiveThreshold(confidence, correct, bad)).toThrow(OptionError)
    expect(() => selectiveThreshold([], [], 0.1)).toThrow(/empty/)
    expect(() => selectiveThreshold([0.5], [true, false], 0.1)).toThrow(ShapeError)
    expect(() => selectiveThreshold([Infinity], [true], 0.1)).toThrow(InputError)
  })
})
