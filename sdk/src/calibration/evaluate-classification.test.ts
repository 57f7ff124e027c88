import { describe, expect, it } from 'vitest'
import { InputError, ShapeError } from '../errors.js'
import type { EvaluationMetrics } from '../format/manifest.js'
import { matrix, matrixFromRows } from '../math/matrix.js'
import type { ClassificationMetrics } from './evaluate-classification.js'
import { evaluateClassification } from './evaluate-classification.js'

describe('evaluateClassification', () => {
  it('gives every metric of the hand-worked six-item set', () => {
    // Confidence / correct: 0.9 right, 0.8 wrong, 0.7 right, 0.4 right, 0.5 wrong, 0.6 right;
    // p_y = 0.9, 0.1, 0.7, 0.4, 0.2, 0.6 (values worked in the per-metric tests).
    const p = matrixFromRows([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3], [0.35, 0.6, 0.05]])
    const metrics = evaluateClassification(p, [0, 1, 1, 2, 0, 1])
    const expected: ClassificationMetrics = {
      items: 6,
      accuracy: 4 / 6,
      nll: -(Math.log(0.9) + Math.log(0.1) + Math.log(0.7) + Math.log(0.4) + Math.log(0.2) + Math.log(0.6)) / 6,
      brier: 0.57,
      ece: 0.45,
      adaptiveEce: 0.45,
      mce: 0.8,
      aurc: 109 / 360,
      eAurc: 77 / 360,
    }
    expect(Object.keys(metrics).sort()).toStrictEqual(Object.keys(expected).sort())
    for (const key of Object.keys(expected) as (keyof ClassificationMetrics)[]) expect(metrics[key], key).toBeCloseTo(expected[key], 13)
  })

  it('is assignable to the manifest EvaluationMetrics', () => {
    const metrics: EvaluationMetrics = evaluateClassification(matrixFromRows([[1, 0], [0, 1]]), [0, 1])
    expect(metrics).toStrictEqual({ items: 2, accuracy: 1, nll: 0, brier: 0, ece: 0, adaptiveEce: 0, mce: 0, aurc: 0, eAurc: 0 })
  })

  it('rejects empty, wrong-length and invalid input', () => {
    expect(() => evaluateClassification(matrix(new Float64Array(0), 0, 3), [])).toThrow(/empty/)
    expect(() => evaluateClassification(matrixFromRows([[0.5, 0.5]]), [0, 0])).toThrow(ShapeError)
    expect(() => evaluateClassification(matrixFromRows([[0.5, 0.5]]), [-1])).toThrow(InputError)
    expect(() => evaluateClassification(matrixFromRows([[0.5, Number.NaN]]), [0])).toThrow(InputError)
  })
})
