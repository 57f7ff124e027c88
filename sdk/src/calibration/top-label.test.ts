import { describe, expect, it } from 'vitest'
import { InputError } from '../errors.js'
import { matrixFromRows } from '../math/matrix.js'
import { topLabelPredictions } from './top-label.js'

describe('topLabelPredictions', () => {
  it('takes the argmax (first index on ties), its probability and whether it is right', () => {
    const top = topLabelPredictions(matrixFromRows([[0.2, 0.8, 0], [0.4, 0.4, 0.2], [0.1, 0.3, 0.6]]), [1, 1, 0])
    expect(Array.from(top.predicted)).toStrictEqual([1, 0, 2])
    expect(Array.from(top.confidence)).toStrictEqual([0.8, 0.4, 0.6])
    expect(Array.from(top.correct)).toStrictEqual([1, 0, 0])
  })
  it('validates its input', () => {
    expect(() => topLabelPredictions(matrixFromRows([[0.2, Number.NaN]]), [0])).toThrow(InputError)
  })
})
