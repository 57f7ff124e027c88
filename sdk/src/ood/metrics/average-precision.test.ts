import { describe, expect, it } from 'vitest'
import { InputError } from '../../errors.js'
import { areaUnderPrecisionRecall, averagePrecision } from './average-precision.js'

/** sum over distinct thresholds t (descending) of (R(t) - R(previous)) P(t), by counting: the oracle. */
function bruteForceAveragePrecision(positives: readonly number[], negatives: readonly number[]): number {
  const thresholds = [...new Set([...positives, ...negatives])].sort((a, b) => b - a)
  let area = 0
  let previousRecall = 0
  for (const t of thresholds) {
    const tp = positives.filter((s) => s >= t).length
    const fp = negatives.filter((s) => s >= t).length
    const recall = tp / positives.length
    area += (recall - previousRecall) * (tp / (tp + fp))
    previousRecall = recall
  }
  return area
}

describe('averagePrecision', () => {
  it('gives hand-worked values', () => {
    expect(averagePrecision([3, 1], [2])).toBeCloseTo(0.5 + 0.5 * (2 / 3), 15)
    expect(averagePrecision([5, 4], [1, 2, 3])).toBe(1)
    // all tied: one threshold, precision = 2 / 5 at recall 1
    expect(averagePrecision([1, 1], [1, 1, 1])).toBeCloseTo(0.4, 15)
  })

  it('groups ties and equals the brute-force definition on random tied arrays', () => {
    let state = 5
    const next = (levels: number): number => Math.floor(((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * levels)
    for (let trial = 0; trial < 30; trial++) {
      const positives = Array.from({ length: 1 + next(40) }, () => next(5) + 1)
      const negatives = Array.from({ length: 1 + next(40) }, () => next(5))
      expect(averagePrecision(positives, negatives)).toBeCloseTo(bruteForceAveragePrecision(positives, negatives), 14)
      // the order of tied items does not matter
      expect(averagePrecision([...positives].reverse(), [...negatives].reverse())).toBe(averagePrecision(positives, negatives))
    }
  })
})

describe('areaUnderPrecisionRecall', () => {
  it('gives AUPR-out and AUPR-in on a hand-worked case', () => {
    // in [1, 2, 3], out [2, 4]
    // out positive, thresholds 4, 3, 2: P = 1 at R = 1/2, then P = 2/4 at R = 1 -> 0.5 + 0.25
    // in positive on negated scores, thresholds -1, -2, -3: P = 1, 2/3, 3/4 at R = 1/3, 2/3, 1 -> 29/36
    const { auprIn, auprOut } = areaUnderPrecisionRecall([1, 2, 3], [2, 4])
    expect(auprOut).toBeCloseTo(0.75, 15)
    expect(auprIn).toBeCloseTo(29 / 36, 15)
  })

  it('is 1 for a perfect separation and rejects NaN', () => {
    expect(areaUnderPrecisionRecall([1], [3, 2])).toStrictEqual({ auprIn: 1, auprOut: 1 })
    expect(() => areaUnderPrecisionRecall([Number.NaN], [1])).toThrow(InputError)
    expect(() => areaUnderPrecisionRecall([1], [])).toThrow(InputError)
  })
})
