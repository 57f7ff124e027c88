import { describe, expect, it } from 'vitest'
import { entropy } from '../../math/entropy.js'
import { softmax } from '../../math/softmax.js'
import { summarizeSamples } from '../../uncertainty/summarize-samples.js'
import { monteCarloEntropyScore, mutualInformationScore } from './monte-carlo-scores.js'

describe('MC-dropout scores', () => {
  it('read predictive entropy and mutual information of two disagreeing samples', () => {
    const summary = summarizeSamples(new Float32Array([2, 0, 0, 2]), 2, 2)
    expect(monteCarloEntropyScore(summary)).toBeCloseTo(Math.LN2, 14)
    expect(mutualInformationScore(summary)).toBeCloseTo(Math.LN2 - entropy(softmax([2, 0])), 14)
  })

  it('give zero mutual information when the samples agree', () => {
    const summary = summarizeSamples([3, 1, 3, 1, 3, 1], 3, 2)
    expect(mutualInformationScore(summary)).toBeCloseTo(0, 14)
    expect(monteCarloEntropyScore(summary)).toBeCloseTo(entropy(softmax([3, 1])), 14)
  })
})
