import { describe, expect, it } from 'vitest'
import { seededPermutation, SHUFFLE_STREAM, splitExamples } from './seeded-order.js'

describe('seededPermutation', () => {
  it('is a permutation, reproducible, and differs between rounds and seeds', () => {
    const values = Int32Array.from({ length: 50 }, (_, i) => i * 2)
    const a = seededPermutation(values, 1, SHUFFLE_STREAM, 0)
    expect(Array.from(a).sort((x, y) => x - y)).toStrictEqual(Array.from(values))
    expect(seededPermutation(values, 1, SHUFFLE_STREAM, 0)).toStrictEqual(a)
    expect(seededPermutation(values, 1, SHUFFLE_STREAM, 1)).not.toStrictEqual(a)
    expect(seededPermutation(values, 2, SHUFFLE_STREAM, 0)).not.toStrictEqual(a)
    expect(Array.from(values)).toStrictEqual(Array.from({ length: 50 }, (_, i) => i * 2)) // input untouched
  })
})

describe('splitExamples', () => {
  it('holds out round(n_c * fraction) of each class, keeps one of each for training, and is seeded', () => {
    const labels = Int32Array.of(0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2)
    const { train, heldOut } = splitExamples(labels, 4, 0.2, 7)
    const count = (part: Int32Array, c: number): number => Array.from(part).filter((e) => labels[e] === c).length
    expect([count(heldOut, 0), count(heldOut, 1), count(heldOut, 2)]).toStrictEqual([1, 2, 0])
    expect([count(train, 0), count(train, 1), count(train, 2)]).toStrictEqual([4, 8, 1])
    expect(Array.from(train).concat(Array.from(heldOut)).sort((a, b) => a - b)).toStrictEqual(Array.from({ length: 16 }, (_, i) => i))
    expect(Array.from(train)).toStrictEqual(Array.from(train).sort((a, b) => a - b))
    expect(splitExamples(labels, 4, 0.2, 7)).toStrictEqual({ train, heldOut })
    expect(splitExamples(labels, 4, 0.2, 8).heldOut).not.toStrictEqual(heldOut)
  })
})
