import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { OptionError } from '@sd-dropout/sdk'
import { buildBackbone } from '../models/build-backbone.js'
import { createMethod, defaultSdWeight, METHOD_NAMES, parseMethod, PEER_DEFAULTS, resolvePeerOptions } from './method-registry.js'
import { methodSetup } from './method-setup.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

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

  it('parses every peer alone and + sd-dropout', () => {
    expect(METHOD_NAMES).toStrictEqual(['ce', 'ps-kd', 'frskd', 'lsskd', 'sd-dropout', 'ce+sd-dropout', 'ps-kd+sd-dropout', 'frskd+sd-dropout', 'lsskd+sd-dropout'])
    expect(parseMethod('ps-kd')).toStrictEqual({ base: 'ps-kd', sdDropout: false })
    expect(parseMethod('frskd+sd-dropout')).toStrictEqual({ base: 'frskd', sdDropout: true })
    expect(parseMethod('lsskd+sd-dropout')).toStrictEqual({ base: 'lsskd', sdDropout: true })
  })

  it('uses lambda 0.1 for a combination with another base method, the peer keeping weight 1', () => {
    expect(defaultSdWeight({ base: 'ce', sdDropout: true })).toBe(1)
    expect(defaultSdWeight({ base: 'ps-kd', sdDropout: true })).toBe(0.1)
    const combined = createMethod(parseMethod('ps-kd+sd-dropout'), {}, PEER_DEFAULTS, { stageShapes: [], deepestStageIsPooled: false, featureDim: 4, itemShape: [4], classes: 3, seed: 0 })
    expect(combined.name).toBe('ps-kd+sd-dropout')
    expect(combined.hyperParameters).toStrictEqual({ psKdAlpha: 0.8, sdRate: 0.5, sdTemperature: 3, sdWeight: 0.1, sdDetach: false, sdSamples: 2 })
    expect(createMethod(parseMethod('ps-kd+sd-dropout'), { weight: 0.3 }, PEER_DEFAULTS, { stageShapes: [], deepestStageIsPooled: false, featureDim: 4, itemShape: [4], classes: 3, seed: 0 }).hyperParameters.sdWeight).toBe(0.3)
  })

  it('builds FRSKD and LSSKD on a backbone, their own variables named and counted', () => {
    const backbone = buildBackbone({ architecture: 'cnn', width: 2 }, [8, 8, 1], 0)
    const setup = methodSetup(backbone, 3, 9)
    const tensorsBefore = tf.memory().numTensors
    expect(setup.stageShapes).toStrictEqual([[8, 8, 2], [4, 4, 4], [2, 2, 8]])
    const frskd = createMethod(parseMethod('frskd+sd-dropout'), {}, resolvePeerOptions({ frskd: { depth: 1 } }), setup)
    expect(frskd.name).toBe('frskd+sd-dropout')
    expect(frskd.hyperParameters).toMatchObject({ frskdAlpha: 2, frskdBeta: 100, frskdTemperature: 4, frskdWidth: 1, frskdDepth: 1, sdWeight: 0.1 })
    const names = frskd.variables?.().map((v) => v.name) ?? []
    expect(names.every((name) => name.startsWith('frskd/'))).toBe(true)
    expect(names).toContain('frskd/up1/weights')
    expect(names).toContain('frskd/classifier/weight')
    const lsskd = createMethod(parseMethod('lsskd'), {}, PEER_DEFAULTS, setup)
    expect(lsskd.variables?.().map((v) => v.name)).toStrictEqual([
      ...['stage1/step2/0/depthwise', 'stage1/step2/0/pointwise', 'stage1/step2/0/bn/scale', 'stage1/step2/0/bn/offset'],
      ...['stage1/step3/0/depthwise', 'stage1/step3/0/pointwise', 'stage1/step3/0/bn/scale', 'stage1/step3/0/bn/offset'],
      ...['stage2/step3/0/depthwise', 'stage2/step3/0/pointwise', 'stage2/step3/0/bn/scale', 'stage2/step3/0/bn/offset'],
      ...['stage1/joint/weight', 'stage1/joint/bias', 'stage2/joint/weight', 'stage2/joint/bias', 'deep/joint/weight', 'deep/joint/bias'],
    ].map((name) => `lsskd/${name}`))
    frskd.dispose?.()
    lsskd.dispose?.()
    // the combination frees the peer's variables too
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    backbone.model.dispose()
  })

  it('applies overrides and validates them', () => {
    expect(createMethod(parseMethod('sd-dropout'), { temperature: 1, samples: 4 }).hyperParameters.sdTemperature).toBe(1)
    expect(() => createMethod(parseMethod('sd-dropout'), { samples: 1 })).toThrow(OptionError)
    expect(() => createMethod(parseMethod('sd-dropout'), { rate: 1 })).toThrow(/--sd-rate/)
    expect(() => createMethod(parseMethod('sd-dropout'), { temperature: 0 })).toThrow(/--sd-temperature/)
    expect(() => createMethod(parseMethod('frskd'))).toThrow(/frskd needs the backbone's setup/)
    const mlp = buildBackbone({ architecture: 'mlp', hidden: [8, 4] }, [4, 4, 1], 0)
    expect(() => createMethod(parseMethod('frskd'), {}, PEER_DEFAULTS, methodSetup(mlp, 3, 0))).toThrow(/use a conv backbone/)
    expect(() => createMethod(parseMethod('lsskd'), {}, resolvePeerOptions({ lsskd: { temperature: 0 } }), methodSetup(mlp, 3, 0))).toThrow(/--lsskd-temperature/)
    mlp.model.dispose()
  })

  it.each(['', 'xent', 'sd-dropout+sd-dropout', 'ce+ce+sd-dropout', 'ps-kd+frskd', 'sd-dropout+ps-kd', 'ps-kd+'])('rejects %j listing the accepted methods', (text) => {
    expect(() => parseMethod(text)).toThrow(OptionError)
    expect(() => parseMethod(text)).toThrow(/use one of ce, ps-kd, frskd, lsskd, sd-dropout, ce\+sd-dropout, ps-kd\+sd-dropout/)
  })
})
