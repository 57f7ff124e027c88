import { describe, expect, it } from 'vitest'
import { InputError, OptionError } from '../../errors.js'
import { falsePositiveRateAtRecall } from './false-positive-rate-at-recall.js'

describe('falsePositiveRateAtRecall', () => {
  it('counts OOD inputs at or below the 95% in-distribution threshold', () => {
    const inScores = Array.from({ length: 20 }, (_, i) => i + 1) // 1 .. 20: t = 19th smallest = 19
    expect(falsePositiveRateAtRecall(inScores, [18.5, 19, 19.5, 25])).toBe(0.5) // 18.5 and 19 accepted
    expect(falsePositiveRateAtRecall(inScores, [30, 40])).toBe(0)
    expect(falsePositiveRateAtRecall(inScores, [-1, 0])).toBe(1)
  })

  it('takes other acceptance levels and accepts every tie at the threshold', () => {
    expect(falsePositiveRateAtRecall([1, 2, 3, 4], [2, 5], 0.5)).toBe(0.5)
    // in-distribution all tied: t = 1 accepts all of them, and OOD 1 too
    expect(falsePositiveRateAtRecall([1, 1, 1, 1], [1, 2, 3], 0.5)).toBeCloseTo(1 / 3, 15)
  })

  it('validates acceptance and scores', () => {
    expect(() => falsePositiveRateAtRecall([1], [1], 0)).toThrow(OptionError)
    expect(() => falsePositiveRateAtRecall([1], [Number.NaN])).toThrow(InputError)
    expect(() => falsePositiveRateAtRecall([1], [])).toThrow(InputError)
  })
})
