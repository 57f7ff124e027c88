import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { psKdMethod } from '../ps-kd/ps-kd-method.js'
import { sdDropoutTerm } from './sd-dropout-loss.js'
import { trainingMasks } from './training-masks.js'
import { withSdDropout } from './with-sd-dropout.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('withSdDropout on a peer', () => {
  it('is L_peer + lambda L_sd, the SD term on the batch\'s own items (not the expanded copies), with the masks of the step', () => {
    const options = { rate: 0.5, temperature: 2, weight: 0.1, detach: false, samples: 2 }
    const features = tf.tensor2d([0.5, -1, 2, 0.25, 1.5, 0.75, -0.5, 1], [2, 4])
    const head = { weight: tf.variable(tf.tensor2d([0.3, -0.2, 0.1, 0.5, 0.4, -0.3, -0.1, 0.2, 0.6, 0.2, -0.5, 0.3], [4, 3])), bias: tf.variable(tf.tensor1d([0.1, 0, -0.1])) }
    const logits = tf.add<tf.Tensor2D>(tf.matMul(features, head.weight), head.bias)
    const labels = Int32Array.of(2, 0)
    const batch = { oneHot: tf.oneHot(tf.tensor1d(labels, 'int32'), 3) as tf.Tensor2D, labels, indices: Int32Array.of(5, 9), step: 7, epoch: 1, epochs: 4 }
    const context = { head, seed: 11 }
    // both PS-KD instances hold the same previous-epoch predictions
    const previous = Float32Array.of(2, 0, -1, 0.5, 1, 0)
    const alone = psKdMethod({ alpha: 0.8 }, 3)
    const combined = withSdDropout(psKdMethod({ alpha: 0.8 }, 3), options)
    alone.afterStep?.(previous, { ...batch, epoch: 0, step: 0 })
    combined.afterStep?.(previous, { ...batch, epoch: 0, step: 0 })
    // an LSSKD-like pass also carries 4B expanded features: SD-Dropout must not use them
    const pass = { features, stages: [], logits, expanded: { features: tf.tile<tf.Tensor2D>(features, [4, 1]), stages: [] } }

    const peer = alone.loss(pass, batch, context)
    const both = combined.loss(pass, batch, context)
    const masks = tf.tensor3d(trainingMasks(11, 7, 2, 2, 4, 0.5), [2, 2, 4])
    const sd = sdDropoutTerm(features, head, masks, options)
    expect(sd.dataSync()[0]).toBeGreaterThan(0)
    expect(both.total.dataSync()[0]).toBeCloseTo((peer.total.dataSync()[0] as number) + 0.1 * (sd.dataSync()[0] as number), 6)
    expect(Object.keys(both.terms)).toStrictEqual([...Object.keys(peer.terms), 'sd'])
    expect(both.terms.sd?.dataSync()[0]).toBeCloseTo(sd.dataSync()[0] as number, 6)
    expect(combined.name).toBe('ps-kd+sd-dropout')
    expect(combined.hyperParameters).toMatchObject({ sdRate: 0.5, sdTemperature: 2, sdWeight: 0.1, sdDetach: false, sdSamples: 2 })
  })
})
