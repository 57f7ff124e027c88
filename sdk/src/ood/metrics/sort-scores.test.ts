import { describe, expect, it } from 'vitest'
import { InputError } from '../../errors.js'
import { sortScores } from './sort-scores.js'

describe('sortScores', () => {
  it('returns an ascending float64 copy, infinities allowed', () => {
    const scores = [3, -Infinity, 1, Infinity, 2]
    expect(Array.from(sortScores('scores', scores))).toStrictEqual([-Infinity, 1, 2, 3, Infinity])
    expect(scores[0]).toBe(3) // the input is not reordered
  })

  it('rejects empty sets and NaN, naming the set', () => {
    expect(() => sortScores('OOD scores', [])).toThrow(/OOD scores: no scores/)
    expect(() => sortScores('OOD scores', [1, Number.NaN])).toThrow(InputError)
  })
})
