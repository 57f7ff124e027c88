import { describe, expect, it } from 'vitest'
import { trainingHistory } from './training-history.js'

describe('trainingHistory', () => {
  it('reads the trainer\'s epoch records (extra fields ignored, missing ones null)', () => {
    const rows = trainingHistory({
      epochs: 2,
      history: [
        { epoch: 1, learningRate: 0.01, loss: 0.5, terms: { ce: 0.4 }, accuracy: 0.8, validationAccuracy: 0.85, validationNll: 0.45, seconds: 3 },
        { epoch: 2, loss: 0.3, accuracy: 0.9, validationAccuracy: null, validationNll: null },
      ],
    })
    expect(rows).toStrictEqual([
      { epoch: 1, loss: 0.5, accuracy: 0.8, validationAccuracy: 0.85, validationNll: 0.45 },
      { epoch: 2, loss: 0.3, accuracy: 0.9, validationAccuracy: null, validationNll: null },
    ])
  })

  it('numbers epochs by position when they are not recorded (fine-tuning) and is null without a history', () => {
    expect(trainingHistory({ history: [{ loss: 1, accuracy: 0.5 }, { loss: 0.8, accuracy: 0.6 }] })?.map((row) => row.epoch)).toStrictEqual([1, 2])
    expect(trainingHistory({})).toBeNull()
    expect(trainingHistory({ history: [] })).toBeNull()
    expect(trainingHistory({ history: [{ note: 'x' }] })).toBeNull()
  })
})
