import { describe, expect, it } from 'vitest'
import { OptionError } from '@sd-dropout/sdk'
import { createMethod, defaultSdWeight, parseMethod } from './method-registry.js'

describe('parseMethod / createMethod', () => {
  it('treats sd-dropout and ce+sd-dropout as the same method with lambda 1', () => {
    expect(parseMethod('sd-dropout')).toStrictEqual({ base: 'ce', sdDropout: true })
    expect(parseMethod('ce+sd-dropout')).toStrictEqual({ base: 'ce', sdDropout: true })
    expect(parseMethod('ce')).toStrictEqual({ base: 'ce', sdDropout: false })
    const method = createMethod(parseMethod('ce+sd-dropout'))
    expect(method.name).toBe('sd-dropout')
    expect(method.hyperParameters).toStrictEqual({ sdRate: 0.5, sdTemperature: 3, sdWeight: 1, sdDetach: false, sdSamples: 2 })
    expect(createMethod(parseMethod('ce')).name).toBe('ce')
  })

  it('uses lambda 0.1 for a combination with another base method', () => {
    expect(defaultSdWeight({ base: 'ce', sdDropout: true })).toBe(1)
    // Only `ce` exists today; the rule is checked on a hypothetical base through the same function.
    expect(defaultSdWeight({ base: 'other' as 'ce', sdDropout: true })).toBe(0.1)
  })

  it('applies overrides and validates them', () => {
    expect(createMethod(parseMethod('sd-dropout'), { temperature: 1, samples: 4 }).hyperParameters.sdTemperature).toBe(1)
    expect(() => createMethod(parseMethod('sd-dropout'), { samples: 1 })).toThrow(OptionError)
    expect(() => createMethod(parseMethod('sd-dropout'), { rate: 1 })).toThrow(/--sd-rate/)
    expect(() => createMethod(parseMethod('sd-dropout'), { temperature: 0 })).toThrow(/--sd-temperature/)
  })

  it.each(['', 'xent', 'sd-dropout+sd-dropout', 'ce+ce+sd-dropout', 'ps-kd'])('rejects %j listing the accepted methods', (text) => {
    expect(() => parseMethod(text)).toThrow(OptionError)
    expect(() => parseMethod(text)).toThrow(/use one of ce, sd-dropout, ce\+sd-dropout/)
  })
})
