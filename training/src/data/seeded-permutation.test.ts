import { describe, expect, it } from 'vitest'
import { seededPermutation } from './seeded-permutation.js'

describe('seededPermutation', () => {
  it('is a permutation, identical for the same seed and different for another', () => {
    const a = seededPermutation(1000, 7)
    expect(Array.from(a).sort((x, y) => x - y)).toStrictEqual(Array.from({ length: 1000 }, (_, i) => i))
    expect(Array.from(seededPermutation(1000, 7))).toStrictEqual(Array.from(a))
    expect(Array.from(seededPermutation(1000, 8))).not.toStrictEqual(Array.from(a))
  })

  it('handles the empty and single-item cases', () => {
    expect(Array.from(seededPermutation(0, 1))).toStrictEqual([])
    expect(Array.from(seededPermutation(1, 1))).toStrictEqual([0])
  })

  it('is close to uniform: each item lands in the first slot about equally often', () => {
    const counts = new Array<number>(4).fill(0)
    for (let seed = 0; seed < 4000; seed++) {
      const first = seededPermutation(4, seed)[0] as number
      counts[first] = (counts[first] ?? 0) + 1
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(120)
  })
})
