import { describe, expect, it } from 'vitest'
import { InputError, OptionError, ShapeError } from '../errors.js'
import { fineTuneLabelSet, labelIndices } from './class-labels.js'

describe('fineTuneLabelSet', () => {
  it('keeps, extends or replaces', () => {
    expect(fineTuneLabelSet(['a', 'b'], { mode: 'keep' })).toStrictEqual(['a', 'b'])
    expect(fineTuneLabelSet(['a', 'b'], { mode: 'extend', labels: ['c'] })).toStrictEqual(['a', 'b', 'c'])
    expect(fineTuneLabelSet(['a', 'b'], { mode: 'replace', labels: ['x', 'a'] })).toStrictEqual(['x', 'a'])
    expect(() => fineTuneLabelSet(['a', 'b'], { mode: 'extend', labels: ['c', 'b'] })).toThrow(OptionError)
  })
})

describe('labelIndices', () => {
  it('maps names and indices, and refuses anything else', () => {
    expect(Array.from(labelIndices(['b', 0, 'a', 1], ['a', 'b'], 4))).toStrictEqual([1, 0, 0, 1])
    expect(() => labelIndices(['a'], ['a', 'b'], 2)).toThrow(ShapeError)
    expect(() => labelIndices(['c'], ['a', 'b'], 1)).toThrow(/unknown label "c" \(known: a, b\)/)
    expect(() => labelIndices([2], ['a', 'b'], 1)).toThrow(InputError)
    expect(() => labelIndices([-1], ['a', 'b'], 1)).toThrow(InputError)
    expect(() => labelIndices([null as never], ['a', 'b'], 1)).toThrow(InputError)
    expect(() => labelIndices('ab' as never, ['a', 'b'], 2)).toThrow(InputError)
  })
})
