import { describe, expect, it } from 'vitest'
import { OptionError } from '../errors.js'
import { resolveFineTuneOptions } from './resolve-fine-tune-options.js'

const defaults = { name: 'digits', dropoutRate: 0.4, targetAcceptance: 0.95, targetRisk: 0.02 }

describe('resolveFineTuneOptions', () => {
  it('applies every default', () => {
    expect(resolveFineTuneOptions({}, defaults)).toStrictEqual({
      epochs: 40,
      learningRate: 0.01,
      optimizer: 'adam',
      momentum: 0,
      weightDecay: 1e-4,
      batchSize: 32,
      dropoutRate: 0.4,
      temperature: 1,
      lambda: 1,
      detach: false,
      seed: 0,
      folds: 5,
      validationFraction: 0.2,
      calibrationObjective: 'brier',
      classes: { mode: 'keep' },
      kernel: 'auto',
      signal: null,
      onProgress: null,
      name: 'digits-ft',
      id: null,
      dataName: 'fine-tune data',
      targetAcceptance: 0.95,
      targetRisk: 0.02,
    })
  })

  it('gives SGD its own learning rate and momentum defaults, and keeps given values', () => {
    expect(resolveFineTuneOptions({ optimizer: 'sgd' }, defaults)).toMatchObject({ learningRate: 0.1, momentum: 0.9 })
    const given = resolveFineTuneOptions({ optimizer: 'sgd', momentum: 0, learningRate: 0.3, classes: { mode: 'extend', labels: ['x'] }, detach: true, seed: 0xffffffff }, defaults)
    expect(given).toMatchObject({ momentum: 0, learningRate: 0.3, classes: { mode: 'extend', labels: ['x'] }, detach: true, seed: 0xffffffff })
  })

  it('names the option in its error', () => {
    expect(() => resolveFineTuneOptions({ epochs: 2.5 }, defaults)).toThrow(OptionError)
    expect(() => resolveFineTuneOptions({ epochs: 2.5 }, defaults)).toThrow(/^option epochs: must be an integer in \[1, 100000\], got 2.5$/)
    expect(() => resolveFineTuneOptions(null as never, defaults)).toThrow(/option options/)
    expect(() => resolveFineTuneOptions({ classes: { mode: 'grow' } as never }, defaults)).toThrow(/mode must be keep, extend or replace/)
    expect(() => resolveFineTuneOptions({ id: '' }, defaults)).toThrow(/option id/)
    expect(() => resolveFineTuneOptions({ calibrationObjective: 'ece' as never }, defaults)).toThrow(/^option calibrationObjective: must be nll or brier, got ece$/)
  })
})
