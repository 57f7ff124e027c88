import { describe, expect, it } from 'vitest'
import { InputError, OptionError } from '../../errors.js'
import { acceptanceThreshold } from './acceptance-threshold.js'

describe('acceptanceThreshold', () => {
  it('is the ceil(target * n)-th smallest score', () => {
    expect(acceptanceThreshold([5, 1, 4, 2, 3], 0.6)).toBe(3)
    expect(acceptanceThreshold([5, 1, 4, 2, 3], 0.61)).toBe(4) // ceil(3.05) = 4
    expect(acceptanceThreshold([5, 1, 4, 2, 3], 1)).toBe(5)
    expect(acceptanceThreshold([5, 1, 4, 2, 3], 1e-9)).toBe(1)
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i) // 100 .. 1
    expect(acceptanceThreshold(hundred, 0.95)).toBe(95)
    expect(acceptanceThreshold(hundred, 0.07)).toBe(7) // 0.07 * 100 = 7.000000000000001 in float64
    expect(acceptanceThreshold([7], 0.5)).toBe(7)
  })

  it('accepts at least the target fraction, and a smaller value would not', () => {
    let state = 9
    const scores = Array.from({ length: 137 }, () => Math.floor(((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 20))
    for (const target of [0.05, 0.5, 0.9, 0.95, 0.99]) {
      const t = acceptanceThreshold(scores, target)
      expect(scores.filter((s) => s <= t).length / scores.length).toBeGreaterThanOrEqual(target)
      const below = scores.filter((s) => s < t)
      expect(below.length / scores.length).toBeLessThan(target)
    }
  })

  it('validates the target and the scores', () => {
    expect(() => acceptanceThreshold([1, 2], 0)).toThrow(OptionError)
    expect(() => acceptanceThreshold([1, 2], 1.01)).toThrow(OptionError)
    expect(() => acceptanceThreshold([1, 2], Number.NaN)).toThrow(OptionError)
    expect(() => acceptanceThreshold([], 0.95)).toThrow(InputError)
    expect(() => acceptanceThreshold([Number.NaN], 0.95)).toThrow(InputError)
  })
})
