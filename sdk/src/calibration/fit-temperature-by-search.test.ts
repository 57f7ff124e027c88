import { describe, expect, it } from 'vitest'
import { OptionError } from '../errors.js'
import { matrixFromRows } from '../math/matrix.js'
import { fitTemperature } from './fit-temperature.js'
import { fitTemperatureBySearch } from './fit-temperature-by-search.js'
import { negativeLogLikelihoodFromLogits } from './negative-log-likelihood.js'

describe('fitTemperatureBySearch', () => {
  it('finds the closed-form optimum T = 1 / ln 2 and agrees with the Newton fit', () => {
    const logits = matrixFromRows([[1, 0], [1, 0], [1, 0]])
    const labels = [0, 0, 1]
    const fit = fitTemperatureBySearch((t) => negativeLogLikelihoodFromLogits(logits, labels, t))
    expect(fit.temperature).toBeCloseTo(1 / Math.LN2, 3)
    expect(fit.atBound).toBeNull()
    expect(fit.temperature).toBeCloseTo(fitTemperature(logits, labels).temperature, 3)
    expect(fit.nllAfter).toBeLessThanOrEqual(fit.nllBefore)
  })

  it('reports the bound for monotone objectives', () => {
    expect(fitTemperatureBySearch((t) => t)).toMatchObject({ temperature: 0.05, atBound: 'lower' })
    expect(fitTemperatureBySearch((t) => -t, { upper: 8 })).toMatchObject({ temperature: 8, atBound: 'upper' })
  })

  it('minimises a non-quadratic unimodal objective in ln T', () => {
    const fit = fitTemperatureBySearch((t) => Math.abs(Math.log(t) - Math.log(2.5)) ** 1.5)
    expect(fit.temperature).toBeCloseTo(2.5, 2)
  })

  it('validates its options', () => {
    expect(() => fitTemperatureBySearch((t) => t, { lower: 0 })).toThrow(OptionError)
    expect(() => fitTemperatureBySearch((t) => t, { lower: 2, upper: 1 })).toThrow(OptionError)
  })
})
