import { areaUnderRiskCoverage, areaUnderRoc, matrix, topLabelPredictions } from '@sd-dropout/sdk'
import { describe, expect, it } from 'vitest'
import { accuracyCoverage } from './accuracy-coverage.js'
import { rocCurve, thin } from './roc-curve.js'
import { scoreHistogram } from './score-histogram.js'

const trapezoid = (points: readonly { falsePositiveRate: number; truePositiveRate: number }[]) =>
  points.slice(1).reduce((area, p, i) => area + ((p.falsePositiveRate - points[i]!.falsePositiveRate) * (p.truePositiveRate + points[i]!.truePositiveRate)) / 2, 0)

describe('rocCurve', () => {
  it('steps through thresholds from the top: a hand-made case', () => {
    expect(rocCurve([0.1, 0.2], [0.3, 0.4])).toStrictEqual([
      { falsePositiveRate: 0, truePositiveRate: 0 },
      { falsePositiveRate: 0, truePositiveRate: 0.5 },
      { falsePositiveRate: 0, truePositiveRate: 1 },
      { falsePositiveRate: 0.5, truePositiveRate: 1 },
      { falsePositiveRate: 1, truePositiveRate: 1 },
    ])
  })

  it('has the SDK\'s AUROC (ties one half) as its trapezoidal area, and ends at (1, 1)', () => {
    const inScores = [0.1, 0.5, 0.5, 0.3, 0.9, 0.2]
    const outScores = [0.5, 0.8, 0.4, 0.95, 0.5]
    const curve = rocCurve(inScores, outScores)
    expect(trapezoid(curve)).toBeCloseTo(areaUnderRoc(inScores, outScores), 12)
    expect(curve.at(-1)).toStrictEqual({ falsePositiveRate: 1, truePositiveRate: 1 })
  })

  it('thins long curves to evenly spaced points keeping both ends, and refuses NaN', () => {
    expect(thin([1, 2, 3, 4, 5], 3)).toStrictEqual([1, 3, 5])
    const many = rocCurve(Array.from({ length: 1000 }, (_, i) => i), Array.from({ length: 1000 }, (_, i) => i + 0.5), 50)
    expect(many).toHaveLength(50)
    expect(many[0]).toStrictEqual({ falsePositiveRate: 0, truePositiveRate: 0 })
    expect(many.at(-1)).toStrictEqual({ falsePositiveRate: 1, truePositiveRate: 1 })
    expect(() => rocCurve([Number.NaN], [1])).toThrow(/score 0 is NaN/)
  })
})

describe('accuracyCoverage', () => {
  it('answers the most confident first: hand-made case with a tie', () => {
    // confidences 0.9 (right), 0.7 (wrong), 0.7 (right), 0.6 (wrong)
    const p = matrix(Float32Array.of(0.9, 0.1, 0.7, 0.3, 0.3, 0.7, 0.4, 0.6), 4, 2)
    const curve = accuracyCoverage(p, [0, 1, 1, 0])
    expect(curve.map((point) => [point.coverage, point.accuracy])).toStrictEqual([
      [0.25, 1],
      [0.75, 2 / 3],
      [1, 0.5],
    ])
    expect(curve.map((point) => point.threshold)).toStrictEqual([0.8999999761581421, 0.699999988079071, 0.6000000238418579])
  })

  it('its mean risk over items equals the SDK\'s AURC when there are no ties', () => {
    const n = 50
    const probs = new Float32Array(2 * n)
    const labels = Array.from({ length: n }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0)
    for (let i = 0; i < n; i++) {
      probs[2 * i] = 0.5 + (0.5 * (i + 1)) / (n + 1)
      probs[2 * i + 1] = 1 - (probs[2 * i] as number)
    }
    const p = matrix(probs, n, 2)
    const curve = accuracyCoverage(p, labels)
    expect(curve).toHaveLength(n)
    const { confidence, correct } = topLabelPredictions(p, labels)
    expect(curve.reduce((sum, point) => sum + (1 - point.accuracy), 0) / n).toBeCloseTo(areaUnderRiskCoverage(confidence, correct), 12)
  })
})

describe('scoreHistogram', () => {
  it('bins sets on shared linear edges; fractions of each set sum to 1', () => {
    const histogram = scoreHistogram([{ name: 'a', scores: [0, 1, 2, 3] }, { name: 'b', scores: [3, 3, 100] }], 4)
    expect(histogram.scale).toBe('linear')
    expect(histogram.edges).toHaveLength(5)
    for (const set of histogram.sets) expect(set.fractions.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12)
    expect(histogram.sets[0]?.fractions[0]).toBeGreaterThan(0)
  })

  it('switches to log10 bins when positive scores span orders of magnitude, and survives a constant score', () => {
    const histogram = scoreHistogram([{ name: 'test', scores: [10, 20, 30] }, { name: 'noise', scores: [1e4, 2e4] }], 10)
    expect(histogram.scale).toBe('log10')
    expect(histogram.edges[0]).toBeCloseTo(1, 12)
    expect(histogram.sets[1]?.fractions[9]).toBeGreaterThan(0)
    const flat = scoreHistogram([{ name: 'x', scores: [2, 2, 2] }], 2)
    expect(flat.edges).toStrictEqual([1.5, 2, 2.5])
    expect(flat.sets[0]?.fractions).toStrictEqual([0, 1])
  })
})
