import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { dropoutMask, klDivergenceFromLogits, logSoftmax, softmax } from '@sd-dropout/sdk'
import type { LinearHead } from '../../models/linear-head.js'
import { stopGradient } from '../stop-gradient.js'
import { crossEntropyFromLogits, temperedKlDivergence } from '../tempered-kl.js'
import { sdDropoutTerm } from './sd-dropout-loss.js'
import { trainingMasks } from './training-masks.js'

const h = [
  [0.5, -1, 2, 0.25],
  [1.5, 0.5, -0.5, 1],
  [-2, 1, 0, 3],
]
const weight = [
  [0.2, -0.5, 1],
  [1, 0.3, -0.2],
  [-0.7, 0.8, 0.1],
  [0.4, -0.1, 0.6],
]
const bias = [0.1, -0.2, 0.05]

/** z = (h * m) W + b for one item, in float64. */
function logitsOf(features: readonly number[], mask: ArrayLike<number>): number[] {
  return bias.map((b, c) => features.reduce((acc, value, d) => acc + value * (mask[d] as number) * (weight[d]?.[c] as number), b))
}

function head(): LinearHead {
  return { weight: tf.variable(tf.tensor2d(weight)), bias: tf.variable(tf.tensor1d(bias)) }
}

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('tempered KL and cross-entropy', () => {
  it('match the SDK reference math on tiny batches', () => {
    const a = [[3, 0, -1], [0.5, 0.5, 2]]
    const b = [[0, 3, 1], [-1, 4, 0]]
    for (const temperature of [1, 3]) {
      const expected = (klDivergenceFromLogits(a[0] as number[], b[0] as number[], temperature) + klDivergenceFromLogits(a[1] as number[], b[1] as number[], temperature)) / 2
      const actual = tf.tidy(() => temperedKlDivergence(tf.tensor2d(a), tf.tensor2d(b), temperature).dataSync()[0])
      expect(actual).toBeCloseTo(expected, 5)
    }
    const labels = [2, 0]
    const expectedCe = -((logSoftmax(b[0] as number[])[2] as number) + (logSoftmax(b[1] as number[])[0] as number)) / 2
    const ce = tf.tidy(() => crossEntropyFromLogits(tf.tensor2d(b), tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), 'float32') as tf.Tensor2D).dataSync()[0])
    expect(ce).toBeCloseTo(expectedCe, 5)
  })

  it('stays finite for logits far apart (no log of an underflowed probability)', () => {
    const kl = tf.tidy(() => temperedKlDivergence(tf.tensor2d([[200, -200]]), tf.tensor2d([[-200, 200]]), 1).dataSync()[0] as number)
    expect(kl).toBeCloseTo(400, 3)
  })
})

describe('stopGradient', () => {
  it('passes values and blocks every gradient into a detached target', () => {
    const a = tf.tensor2d([[1, 2, 0]])
    const b = tf.tensor2d([[0, 1, 1]])
    const [da, db] = tf.grads((x: tf.Tensor, y: tf.Tensor) => temperedKlDivergence(stopGradient(x as tf.Tensor2D), y as tf.Tensor2D, 2))([a, b])
    expect(Array.from((da as tf.Tensor).dataSync())).toStrictEqual([0, 0, 0])
    // d/dz_q KL(p || softmax(z_q / T)) = (q - p) / T
    const p = softmax([1, 2, 0], 2)
    const q = softmax([0, 1, 1], 2)
    Array.from((db as tf.Tensor).dataSync()).forEach((g, c) => expect(g).toBeCloseTo(((q[c] as number) - (p[c] as number)) / 2, 6))
    expect(Array.from(stopGradient(a).dataSync())).toStrictEqual([1, 2, 0])
    const [undetached] = tf.grads((x: tf.Tensor) => temperedKlDivergence(x as tf.Tensor2D, b, 2))([a])
    expect(Math.max(...Array.from((undetached as tf.Tensor).dataSync()).map(Math.abs))).toBeGreaterThan(1e-3)
  })
})

describe('sdDropoutTerm', () => {
  const rate = 0.5
  const features = 4

  function reference(samples: number, temperature: number, masks: Float32Array): number {
    let total = 0
    for (let item = 0; item < h.length; item++) {
      const z = Array.from({ length: samples }, (_, k) => logitsOf(h[item] as number[], masks.subarray((k * h.length + item) * features, (k * h.length + item + 1) * features)))
      for (let i = 0; i < samples; i++) for (let j = 0; j < samples; j++) if (i !== j) total += klDivergenceFromLogits(z[i] as number[], z[j] as number[], temperature)
    }
    return ((temperature * temperature * 2) / (samples * (samples - 1))) * (total / h.length)
  }

  it.each([
    [2, 3],
    [2, 1],
    [3, 4],
  ])('equals tau^2 times the mean symmetric KL of the reference math (K = %i, tau = %f)', (samples, temperature) => {
    const masks = trainingMasks(11, 5, h.length, samples, features, rate)
    const value = tf.tidy(() => sdDropoutTerm(tf.tensor2d(h), head(), tf.tensor3d(masks, [samples, h.length, features]), { temperature, detach: false }).dataSync()[0] as number)
    expect(value).toBeGreaterThan(0)
    expect(value).toBeCloseTo(reference(samples, temperature, masks), 4)
  })

  it('is zero when both masks are equal, and is the same value with or without detach', () => {
    const one = dropoutMask(3, 0, features, rate)
    const same = new Float32Array([...one, ...one, ...one, ...one, ...one, ...one])
    const zero = tf.tidy(() => sdDropoutTerm(tf.tensor2d(h), head(), tf.tensor3d(same, [2, 3, features]), { temperature: 3, detach: false }).dataSync()[0])
    expect(zero).toBeCloseTo(0, 6)
    const masks = tf.tensor3d(trainingMasks(1, 0, 3, 2, features, rate), [2, 3, features])
    const a = tf.tidy(() => sdDropoutTerm(tf.tensor2d(h), head(), masks, { temperature: 3, detach: false }).dataSync()[0] as number)
    const b = tf.tidy(() => sdDropoutTerm(tf.tensor2d(h), head(), masks, { temperature: 3, detach: true }).dataSync()[0] as number)
    expect(b).toBeCloseTo(a, 6)
  })

  it('with detach, sends gradients only through the prediction side of each KL', () => {
    const masks = trainingMasks(2, 1, 3, 2, features, rate)
    const maskTensor = tf.tensor3d(masks, [2, 3, features])
    const linear = head()
    const x = tf.tensor2d(h)
    const gradient = (detach: boolean): Float32Array =>
      tf.tidy(() => tf.grad((f: tf.Tensor) => sdDropoutTerm(f as tf.Tensor2D, linear, maskTensor, { temperature: 3, detach }))(x).dataSync() as Float32Array)
    // The same loss written with constant targets: the gradient a detached target must give.
    const constantTargets = tf.tidy(() => {
      const z = [0, 1].map((k) => tf.add<tf.Tensor2D>(tf.matMul(tf.mul(x, tf.squeeze(tf.slice(maskTensor, [k, 0, 0], [1, 3, features]), [0])), linear.weight), linear.bias))
      const frozen = z.map((t) => tf.tensor2d(t.arraySync()))
      return tf
        .grad((f: tf.Tensor) => {
          const live = [0, 1].map((k) => tf.add<tf.Tensor2D>(tf.matMul(tf.mul(f, tf.squeeze(tf.slice(maskTensor, [k, 0, 0], [1, 3, features]), [0])), linear.weight), linear.bias))
          return tf.mul(tf.add(temperedKlDivergence(frozen[0] as tf.Tensor2D, live[1] as tf.Tensor2D, 3), temperedKlDivergence(frozen[1] as tf.Tensor2D, live[0] as tf.Tensor2D, 3)), 9)
        })(x)
        .dataSync() as Float32Array
    })
    const detached = gradient(true)
    const full = gradient(false)
    detached.forEach((g, i) => expect(g).toBeCloseTo(constantTargets[i] as number, 5))
    expect(Math.max(...full.map((g, i) => Math.abs(g - (detached[i] as number))))).toBeGreaterThan(1e-4)
  })
})

describe('trainingMasks', () => {
  it('gives item b, sample k of a step the shared generator mask b * K + k', () => {
    const masks = trainingMasks(7, 3, 4, 2, 16, 0.25)
    const masksAgain = trainingMasks(7, 3, 4, 2, 16, 0.25)
    expect(Array.from(masksAgain)).toStrictEqual(Array.from(masks))
    const other = trainingMasks(7, 4, 4, 2, 16, 0.25)
    expect(Array.from(other)).not.toStrictEqual(Array.from(masks))
    const k = 1
    const b = 2
    const slice = masks.subarray((k * 4 + b) * 16, (k * 4 + b + 1) * 16)
    const seenDifferent = Array.from(masks.subarray(0, 16)).some((v, d) => v !== slice[d])
    expect(seenDifferent).toBe(true)
    for (const v of masks) expect([0, Math.fround(1 / 0.75)]).toContain(v)
  })
})
