import { describe, expect, it } from 'vitest'
import { InputError } from '../../errors.js'
import { areaUnderRoc } from './area-under-roc.js'

/** Mann-Whitney U over all n * m pairs, ties counting one half: the O(n m) oracle. */
function pairCountAuroc(inScores: readonly number[], outScores: readonly number[]): number {
  let wins = 0
  for (const o of outScores) for (const i of inScores) wins += o > i ? 1 : o === i ? 0.5 : 0
  return wins / (inScores.length * outScores.length)
}

function randomIntegers(count: number, levels: number, shift: number, seed: number): number[] {
  let state = seed
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return Math.floor((state / 2 ** 32) * levels) + shift
  })
}

describe('areaUnderRoc', () => {
  it('gives hand-computed values with ties counting one half', () => {
    expect(areaUnderRoc([0.1, 0.4], [0.4, 0.9])).toBe(0.875)
    expect(areaUnderRoc([1, 2], [3, 4])).toBe(1)
    expect(areaUnderRoc([3, 4], [1, 2])).toBe(0)
    expect(areaUnderRoc([5, 5, 5], [5, 5])).toBe(0.5)
    expect(areaUnderRoc([-Infinity, 0], [0, Infinity])).toBe(0.875)
  })

  it('equals the Mann-Whitney pair count on random arrays with many ties', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const inScores = randomIntegers(1 + (seed * 7) % 60, 6, 0, seed)
      const outScores = randomIntegers(1 + (seed * 13) % 45, 6, seed % 3, seed + 1000)
      expect(areaUnderRoc(inScores, outScores)).toBeCloseTo(pairCountAuroc(inScores, outScores), 14)
    }
  })

  it('is complementary when the roles are swapped', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const a = randomIntegers(25, 4, 0, seed)
      const b = randomIntegers(17, 4, 1, seed + 99)
      expect(areaUnderRoc(a, b) + areaUnderRoc(b, a)).toBeCloseTo(1, 14)
      // negating both sets also reverses the ranking
      expect(areaUnderRoc(a.map((v) => -v), b.map((v) => -v))).toBeCloseTo(1 - areaUnderRoc(a, b), 14)
    }
  })

  it('rejects empty sets and NaN', () => {
    expect(() => areaUnderRoc([], [1])).toThrow(InputError)
    expect(() => areaUnderRoc([1], [])).toThrow(InputError)
    expect(() => areaUnderRoc([1, Number.NaN], [1])).toThrow(InputError)
  })
})
