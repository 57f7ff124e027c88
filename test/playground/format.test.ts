import { describe, expect, it } from 'vitest'
import { formatNats, formatProbability, gaugePosition } from '../../workers/playground/format.js'
import { contrastRatio, relativeLuminance } from './contrast.js'

// The playground's pure helpers (workers/playground is browser code outside vitest's workers/src
// pattern, so its unit tests live here) and the WCAG arithmetic the end-to-end test relies on.

describe('formatProbability', () => {
  it('prints one decimal, never 0.0% or 100.0% for what is not exactly 0 or 1', () => {
    expect([0, 1, 0.9951, 0.5, 0.0005, 0.000499, 2e-7, 0.9994999, 0.9995, 0.99998].map(formatProbability)).toStrictEqual([
      '0.0%', '100.0%', '99.5%', '50.0%', '0.1%', '<0.1%', '<0.1%', '99.9%', '>99.9%', '>99.9%',
    ])
  })
})

describe('formatNats', () => {
  it('prints three decimals, and tiny non-zero values in exponent form', () => {
    expect([0, 0.6188, 0.001, 0.00034, 0.0000213, 2.302585].map(formatNats)).toStrictEqual(['0.000', '0.619', '0.001', '3.4e-4', '2.1e-5', '2.303'])
  })
})

describe('gaugePosition', () => {
  it('puts the threshold in the middle and clamps to [0, 1]', () => {
    expect(gaugePosition(112.7, 112.7)).toBe(0.5)
    expect(gaugePosition(22.7, 112.7)).toBeCloseTo(0.5 + (22.7 - 112.7) / 225.4, 12)
    expect([gaugePosition(0, 112.7), gaugePosition(225.4, 112.7), gaugePosition(400, 112.7), gaugePosition(-5, 112.7)]).toStrictEqual([0, 1, 1, 0])
    // negative thresholds (energy, max-logit): one |t| either side
    expect([gaugePosition(-4, -4), gaugePosition(-6, -4), gaugePosition(0, -4), gaugePosition(-12, -4)]).toStrictEqual([0.5, 0.25, 1, 0])
    // a zero threshold uses a unit of 1
    expect([gaugePosition(0.5, 0), gaugePosition(-2, 0)]).toStrictEqual([0.75, 0])
  })
})

describe('WCAG contrast', () => {
  it('gives the known ratios', () => {
    expect(relativeLuminance([255, 255, 255])).toBe(1)
    expect(relativeLuminance([0, 0, 0])).toBe(0)
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBe(21)
    expect(contrastRatio([255, 255, 255], [0, 0, 0])).toBe(21)
    expect(contrastRatio([119, 119, 119], [255, 255, 255])).toBeCloseTo(4.48, 2) // #777 on white fails AA
    expect(contrastRatio([118, 118, 118], [255, 255, 255])).toBeCloseTo(4.54, 2) // #767676 passes
  })
})
