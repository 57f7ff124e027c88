import { describe, expect, it } from 'vitest'
import { InputError, OptionError, ShapeError } from '../errors.js'
import { matrix, matrixFromRows } from '../math/matrix.js'
import { assertBinCount, assertConfidenceAndCorrect, assertScoredLabels } from './assert-inputs.js'

describe('assertScoredLabels', () => {
  const probabilities = matrixFromRows([[0.7, 0.3], [0.4, 0.6]])

  it('accepts valid probabilities, logits and typed-array labels', () => {
    expect(() => assertScoredLabels(probabilities, [0, 1], 'probabilities')).not.toThrow()
    expect(() => assertScoredLabels(matrixFromRows([[-30, 12.5]]), new Int32Array([1]), 'logits')).not.toThrow()
  })
  it('rejects wrong lengths with ShapeError', () => {
    expect(() => assertScoredLabels(probabilities, [0], 'probabilities')).toThrow(ShapeError)
    expect(() => assertScoredLabels(probabilities, [0, 1, 1], 'probabilities')).toThrow(ShapeError)
    expect(() => assertScoredLabels({ data: new Float64Array(3), rows: 2, cols: 2 }, [0, 1], 'probabilities')).toThrow(ShapeError)
    expect(() => assertScoredLabels(matrix(new Float64Array(0), 2, 0), [0, 0], 'logits')).toThrow(ShapeError)
  })
  it('rejects an empty set with InputError that says it is empty', () => {
    expect(() => assertScoredLabels(matrix(new Float64Array(0), 0, 3), [], 'probabilities')).toThrow(InputError)
    expect(() => assertScoredLabels(matrix(new Float64Array(0), 0, 3), [], 'probabilities')).toThrow(/empty/)
  })
  it('rejects labels that are out of range or not integers', () => {
    for (const bad of [2, -1, 0.5, Number.NaN]) {
      expect(() => assertScoredLabels(probabilities, [0, bad], 'probabilities')).toThrow(InputError)
    }
  })
  it('rejects NaN and infinities, and probabilities outside [0, 1]', () => {
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      expect(() => assertScoredLabels(matrixFromRows([[0.5, bad]]), [0], 'probabilities')).toThrow(InputError)
      expect(() => assertScoredLabels(matrixFromRows([[0.5, bad]]), [0], 'logits')).toThrow(InputError)
    }
    expect(() => assertScoredLabels(matrixFromRows([[1.5, -0.5]]), [0], 'probabilities')).toThrow(InputError)
    expect(() => assertScoredLabels(matrixFromRows([[1.5, -0.5]]), [0], 'logits')).not.toThrow()
  })
})

describe('assertConfidenceAndCorrect', () => {
  it('accepts booleans and 0/1 flags', () => {
    expect(() => assertConfidenceAndCorrect([0.9, 0.2, 3], [true, 0, 1])).not.toThrow()
    expect(() => assertConfidenceAndCorrect(new Float32Array([0.5]), new Uint8Array([1]))).not.toThrow()
  })
  it('rejects wrong lengths, empty sets, non-finite confidence and other flags', () => {
    expect(() => assertConfidenceAndCorrect([0.9, 0.8], [true])).toThrow(ShapeError)
    expect(() => assertConfidenceAndCorrect([], [])).toThrow(/empty/)
    expect(() => assertConfidenceAndCorrect([Number.NaN], [true])).toThrow(InputError)
    expect(() => assertConfidenceAndCorrect([Infinity], [true])).toThrow(InputError)
    expect(() => assertConfidenceAndCorrect([0.5], [2])).toThrow(InputError)
  })
})

describe('assertBinCount', () => {
  it('accepts integers >= 1 and rejects the rest with OptionError', () => {
    expect(() => assertBinCount(1)).not.toThrow()
    for (const bad of [0, -3, 2.5, Number.NaN, Infinity]) expect(() => assertBinCount(bad)).toThrow(OptionError)
  })
})
