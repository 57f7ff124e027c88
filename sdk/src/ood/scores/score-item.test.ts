import { describe, expect, it } from 'vitest'
import { InputError, NotFittedError, OptionError } from '../../errors.js'
import { summarizeSamples } from '../../uncertainty/summarize-samples.js'
import { mahalanobisStatistics } from '../mahalanobis/mahalanobis-statistics.js'
import { OOD_SCORE_NAMES } from '../score-name.js'
import { energyScore } from './energy.js'
import { maxLogitScore } from './max-logit.js'
import { maxSoftmaxProbabilityScore } from './max-softmax-probability.js'
import { OOD_SCORES, scoreItem, type OodScoreInput } from './score-item.js'
import { softmaxEntropyScore } from './softmax-entropy.js'

const logits = [2, -1, 0.5]
const temperature = 1.5
const sampleLogits = [2, -1, 0.5, 0, 1, 0.2, 1.5, -0.5, 0]
const input: OodScoreInput = {
  logits,
  temperature,
  samples: 3,
  summary: summarizeSamples(sampleLogits, 3, 3, temperature),
  features: [1, 1],
  mahalanobis: mahalanobisStatistics(new Float32Array([0, 0, 4, 0]), new Float32Array([1, 0, 0, 4]), 2, 2, 0, 10),
}

describe('scoreItem', () => {
  it('has a function for every score name', () => {
    expect(Object.keys(OOD_SCORES).sort()).toStrictEqual([...OOD_SCORE_NAMES].sort())
  })

  it('routes each name to its score with the right temperature', () => {
    const summary = summarizeSamples(sampleLogits, 3, 3, temperature)
    expect(scoreItem('msp', input)).toBe(maxSoftmaxProbabilityScore(logits, temperature))
    expect(scoreItem('max-logit', input)).toBe(maxLogitScore(logits))
    expect(scoreItem('energy', input)).toBe(energyScore(logits, 1)) // energy ignores T_cal
    expect(scoreItem('entropy', input)).toBe(softmaxEntropyScore(logits, temperature))
    expect(scoreItem('mc-entropy', input)).toBe(summary.predictiveEntropy)
    expect(scoreItem('mutual-information', input)).toBe(summary.mutualInformation)
    expect(scoreItem('mahalanobis', input)).toBeCloseTo(5, 12)
    expect(scoreItem('msp', { logits: [Math.log(3), 0], temperature: 1 })).toBeCloseTo(0.25, 15)
  })

  it('refuses MC scores without S >= 2 samples', () => {
    const summary = summarizeSamples(logits, 1, 3, temperature)
    for (const name of ['mc-entropy', 'mutual-information'] as const) {
      expect(() => scoreItem(name, { logits, temperature })).toThrow(OptionError)
      expect(() => scoreItem(name, { logits, temperature, samples: 1, summary })).toThrow(/samples >= 2/)
      expect(() => scoreItem(name, { logits, temperature, samples: 4 })).toThrow(InputError)
    }
  })

  it('refuses mahalanobis without statistics (not fitted) or without features', () => {
    expect(() => scoreItem('mahalanobis', { logits, temperature, features: [1, 1] })).toThrow(NotFittedError)
    expect(() => scoreItem('mahalanobis', { logits, temperature, mahalanobis: input.mahalanobis })).toThrow(InputError)
  })
})
