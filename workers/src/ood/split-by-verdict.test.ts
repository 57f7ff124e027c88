import { NotFittedError } from '@sd-dropout/sdk'
import { describe, expect, it } from 'vitest'
import { fakePrediction } from '../testing/fake-model.js'
import { splitByVerdict } from './split-by-verdict.js'

describe('splitByVerdict', () => {
  it('accepts score <= threshold and rejects score > threshold, keeping batch indices', () => {
    const predictions = [fakePrediction(-3), fakePrediction(0.5), fakePrediction(-1), fakePrediction(-0.99)]
    const { accepted, rejected } = splitByVerdict(predictions)
    expect(accepted.map((item) => item.index)).toStrictEqual([0, 2])
    expect(accepted[1]?.prediction).toBe(predictions[2])
    expect(rejected).toStrictEqual([
      { index: 1, score: 0.5, threshold: -1, method: 'energy' },
      { index: 3, score: -0.99, threshold: -1, method: 'energy' },
    ])
  })

  it('refuses to filter without a threshold', () => {
    expect(() => splitByVerdict([fakePrediction(0, null, 'msp')])).toThrow(NotFittedError)
    expect(splitByVerdict([])).toStrictEqual({ accepted: [], rejected: [] })
  })
})
