import { describe, expect, it } from 'vitest'
import { InputError } from '../../errors.js'
import { detectionError } from './detection-error.js'

/** min over t in {-Infinity} + all scores of 0.5 #{out <= t} / n_out + 0.5 #{in > t} / n_in, by counting. */
function bruteForce(inScores: readonly number[], outScores: readonly number[]): number {
  let best = Infinity
  for (const t of [-Infinity, ...inScores, ...outScores]) {
    const miss = outScores.filter((s) => s <= t).length / outScores.length
    const falseAlarm = inScores.filter((s) => s > t).length / inScores.length
    best = Math.min(best, 0.5 * miss + 0.5 * falseAlarm)
  }
  return best
}

describe('detectionError', () => {
  it('gives hand-worked values', () => {
    // t = 2: no OOD missed, in 3 flagged -> 0.5 * 1/3
    expect(detectionError([1, 2, 3], [2.5, 4])).toBeCloseTo(1 / 6, 15)
    expect(detectionError([1, 2], [3, 4])).toBe(0)
    expect(detectionError([3, 4], [1, 2])).toBe(0.5) // best is to flag nothing (or everything)
    expect(detectionError([1, 1], [1, 1])).toBe(0.5)
    // t = 1: miss OOD 1 (1/2), flag in 2 (1/2) -> 0.5; t = -Inf: 0.5; t = 2: miss 1/2, flag 0 -> 0.25
    expect(detectionError([1, 2], [1, 3])).toBe(0.25)
  })

  it('equals the brute-force minimum on random tied arrays', () => {
    let state = 21
    const next = (levels: number): number => Math.floor(((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) * levels)
    for (let trial = 0; trial < 30; trial++) {
      const inScores = Array.from({ length: 1 + next(30) }, () => next(6))
      const outScores = Array.from({ length: 1 + next(30) }, () => next(6) + 1)
      expect(detectionError(inScores, outScores)).toBeCloseTo(bruteForce(inScores, outScores), 15)
    }
  })

  it('rejects empty sets and NaN', () => {
    expect(() => detectionError([], [1])).toThrow(InputError)
    expect(() => detectionError([1], [Number.NaN])).toThrow(InputError)
  })
})
