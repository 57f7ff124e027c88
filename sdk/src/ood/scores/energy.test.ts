import { describe, expect, it } from 'vitest'
import { InputError, OptionError } from '../../errors.js'
import { energyScore } from './energy.js'

describe('energyScore', () => {
  it('is -logsumexp(z) at the default temperature 1', () => {
    expect(energyScore([0, 0])).toBeCloseTo(-Math.LN2, 15)
    expect(energyScore([1, 2, 3])).toBeCloseTo(-Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)), 14)
    expect(energyScore([5])).toBe(-5)
  })

  it('does not overflow for huge logits and handles ties', () => {
    expect(energyScore([1e4, 1e4])).toBeCloseTo(-(1e4 + Math.LN2), 10)
    expect(energyScore([1e4, 0])).toBe(-1e4)
    expect(energyScore([-1e4, -1e4, -1e4])).toBeCloseTo(1e4 - Math.log(3), 10)
  })

  it('is -T logsumexp(z / T) for another energy temperature', () => {
    expect(energyScore([2, 4], 2)).toBeCloseTo(-2 * Math.log(Math.exp(1) + Math.exp(2)), 14)
    expect(() => energyScore([1, 2], -1)).toThrow(OptionError)
  })

  it('decreases when any logit increases (more evidence = less OOD)', () => {
    expect(energyScore([1, 2.5])).toBeLessThan(energyScore([1, 2]))
    expect(energyScore([1.5, 2])).toBeLessThan(energyScore([1, 2]))
  })

  it('rejects non-finite logits', () => {
    expect(() => energyScore([0, Number.NaN])).toThrow(InputError)
  })
})
