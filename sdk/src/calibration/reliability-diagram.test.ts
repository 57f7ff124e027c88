import { describe, expect, it } from 'vitest'
import { InputError, OptionError } from '../errors.js'
import { matrix, matrixFromRows } from '../math/matrix.js'
import type { Binning, ReliabilityBin } from './reliability-diagram.js'
import { reliabilityDiagram } from './reliability-diagram.js'

// Six items, three classes. Confidence (max p) and correctness:
// 0.9 right, 0.8 wrong, 0.7 right, 0.4 right, 0.5 wrong, 0.6 right.
const probabilities = matrixFromRows([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3], [0.35, 0.6, 0.05]])
const labels = [0, 1, 1, 2, 0, 1]

/** Rounds every field to 12 decimals so sums like (0.9 + 0.8) / 2 compare exactly. */
function rounded(bins: readonly ReliabilityBin[]): ReliabilityBin[] {
  const r = (v: number): number => Math.round(v * 1e12) / 1e12
  return bins.map((b) => ({ lower: r(b.lower), upper: r(b.upper), count: b.count, confidence: r(b.confidence), accuracy: r(b.accuracy) }))
}

/** Two-class rows [c, 1 - c] (c >= 0.5, so the confidence is c) with labels right or wrong as flagged. */
function twoClass(confidence: readonly number[], correct: readonly boolean[]): [ReturnType<typeof matrixFromRows>, number[]] {
  return [matrixFromRows(confidence.map((c) => [c, 1 - c])), correct.map((ok) => (ok ? 0 : 1))]
}

describe('reliabilityDiagram, equal-width', () => {
  it('bins the hand-worked example (edges go to the upper bin)', () => {
    // Edges 0, .2, .4, .6, .8, 1: 0.4 sits on an edge and joins [.4, .6) with 0.5; 0.6 joins
    // [.6, .8) with 0.7; 0.8 joins [.8, 1] with 0.9.
    expect(rounded(reliabilityDiagram(probabilities, labels, { bins: 5 }))).toStrictEqual([
      { lower: 0, upper: 0.2, count: 0, confidence: 0, accuracy: 0 },
      { lower: 0.2, upper: 0.4, count: 0, confidence: 0, accuracy: 0 },
      { lower: 0.4, upper: 0.6, count: 2, confidence: 0.45, accuracy: 0.5 },
      { lower: 0.6, upper: 0.8, count: 2, confidence: 0.65, accuracy: 1 },
      { lower: 0.8, upper: 1, count: 2, confidence: 0.85, accuracy: 0.5 },
    ])
  })
  it('defaults to 15 bins and puts confidence 1 in the last bin', () => {
    const [p, y] = twoClass([1, 1, 0.5, 0.6], [true, false, true, true])
    const bins = reliabilityDiagram(p, y)
    expect(bins).toHaveLength(15)
    expect(bins[14]).toStrictEqual({ lower: 14 / 15, upper: 1, count: 2, confidence: 1, accuracy: 0.5 })
    // 0.5 * 15 = 7.5: bin 7; 0.6 = 9 / 15 is an edge: bin 9, not 8.
    expect(bins[7]?.count).toBe(1)
    expect(bins[9]?.count).toBe(1)
    expect(bins[8]?.count).toBe(0)
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(4)
  })
  it('rejects bad options and invalid input', () => {
    expect(() => reliabilityDiagram(probabilities, labels, { bins: 0 })).toThrow(OptionError)
    expect(() => reliabilityDiagram(probabilities, labels, { binning: 'quantile' as Binning })).toThrow(OptionError)
    expect(() => reliabilityDiagram(matrix(new Float64Array(0), 0, 3), [])).toThrow(InputError)
  })
})

describe('reliabilityDiagram, equal-mass', () => {
  it('splits the hand-worked example into halves by rank', () => {
    // Ascending 0.4, 0.5, 0.6 | 0.7, 0.8, 0.9: the edge is the confidence of rank 3, 0.7.
    expect(rounded(reliabilityDiagram(probabilities, labels, { bins: 2, binning: 'equal-mass' }))).toStrictEqual([
      { lower: 0, upper: 0.7, count: 3, confidence: 0.5, accuracy: 0.666666666667 },
      { lower: 0.7, upper: 1, count: 3, confidence: 0.8, accuracy: 0.666666666667 },
    ])
  })
  it('gives sizes floor(bN/B) apart without ties', () => {
    const confidence = Array.from({ length: 10 }, (_, i) => 0.5 + i * 0.05)
    const [p, y] = twoClass(confidence, confidence.map(() => true))
    expect(reliabilityDiagram(p, y, { bins: 3, binning: 'equal-mass' }).map((b) => b.count)).toStrictEqual([3, 3, 4])
  })
  it('keeps tied confidences in one bin, leaving the bins below empty', () => {
    const [p, y] = twoClass([0.7, 0.7, 0.7, 0.7], [true, true, false, true])
    const bins = reliabilityDiagram(p, y, { bins: 4, binning: 'equal-mass' })
    expect(bins.map((b) => b.count)).toStrictEqual([0, 0, 0, 4])
    expect(bins[3]?.accuracy).toBe(0.75)
    expect(bins[3]?.confidence).toBeCloseTo(0.7, 15)
  })
})
