import { describe, expect, it } from 'vitest'
import { groupByConfidence } from './confidence-groups.js'

describe('groupByConfidence', () => {
  it('sorts descending and merges ties, counting errors', () => {
    const groups = groupByConfidence([0.5, 0.9, 0.5, 0.7, 0.9], [1, false, 0, true, true])
    expect(Array.from(groups.confidence)).toStrictEqual([0.9, 0.7, 0.5])
    expect(Array.from(groups.count)).toStrictEqual([2, 1, 2])
    expect(Array.from(groups.errors)).toStrictEqual([1, 0, 1])
  })
})
