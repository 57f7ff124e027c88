import { describe, expect, it } from 'vitest'
import { InputError, OptionError } from '../../errors.js'
import { softmaxEntropyScore } from './softmax-entropy.js'

describe('softmaxEntropyScore', () => {
  it('gives hand-computed entropies in nats', () => {
    expect(softmaxEntropyScore([5, 5], 1)).toBeCloseTo(Math.LN2, 15)
    expect(softmaxEntropyScore([0, 0, 0, 0], 3)).toBeCloseTo(Math.log(4), 15)
    // softmax([ln 3, 0]) = [0.75, 0.25]
    expect(softmaxEntropyScore([Math.log(3), 0], 1)).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 14)
    // T = 2 on [2 ln 3, 0] is the same distribution
    expect(softmaxEntropyScore([2 * Math.log(3), 0], 2)).toBeCloseTo(-(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 14)
  })

  it('is 0 (not NaN) for saturated logits and ln 2 for huge ties', () => {
    expect(softmaxEntropyScore([1e4, 0], 1)).toBe(0)
    expect(softmaxEntropyScore([1e4, 1e4, -1e4], 1)).toBeCloseTo(Math.LN2, 12) // z / T - logsumexp loses ~1e-13 at |z| = 1e4
  })

  it('rejects a bad temperature and non-finite logits', () => {
    expect(() => softmaxEntropyScore([1, 2], Number.NaN)).toThrow(OptionError)
    expect(() => softmaxEntropyScore([1, Infinity], 1)).toThrow(InputError)
  })
})
