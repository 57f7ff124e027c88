import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { FormatError, logSoftmax, OptionError, softmax } from '@sd-dropout/sdk'
import { softTargetCrossEntropy } from '../soft-target-cross-entropy.js'
import { PredictionStore } from './prediction-store.js'
import { psKdMethod } from './ps-kd-method.js'
import { progressiveAlpha, progressiveTargets } from './ps-kd-targets.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('progressiveAlpha', () => {
  it('grows linearly to alpha_T in the last epoch', () => {
    expect(progressiveAlpha(0.8, 0, 4)).toBeCloseTo(0.2, 12)
    expect(progressiveAlpha(0.8, 1, 4)).toBeCloseTo(0.4, 12)
    expect(progressiveAlpha(0.8, 3, 4)).toBeCloseTo(0.8, 12)
    expect(progressiveAlpha(0, 3, 4)).toBe(0)
    expect(() => progressiveAlpha(1.2, 0, 4)).toThrow(OptionError)
    expect(() => progressiveAlpha(0.8, -1, 4)).toThrow(OptionError)
  })
})

describe('progressiveTargets', () => {
  it('mixes the one-hot label with the stored prediction, one-hot where none is stored', () => {
    const targets = progressiveTargets(Int32Array.of(1, 0), [Float32Array.of(0.2, 0.3, 0.5), null], 3, 0.4)
    // item 0: 0.6 * [0, 1, 0] + 0.4 * [0.2, 0.3, 0.5] = [0.08, 0.72, 0.2]; item 1: one-hot [1, 0, 0]
    const expected = [0.08, 0.72, 0.2, 1, 0, 0]
    Array.from(targets).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6))
  })
})

describe('softTargetCrossEntropy', () => {
  it('equals -mean sum t log softmax(z) of the reference math, and its gradient is (softmax(z) - t) / B', () => {
    const z = [
      [2, -1, 0.5],
      [0, 0, 3],
    ]
    const t = [
      [0.08, 0.72, 0.2],
      [1, 0, 0],
    ]
    const expected = -z.reduce((sum, row, i) => sum + logSoftmax(row).reduce((acc, l, c) => acc + (t[i]?.[c] as number) * l, 0), 0) / 2
    const targets = tf.tensor2d(t)
    expect(softTargetCrossEntropy(tf.tensor2d(z), targets).dataSync()[0]).toBeCloseTo(expected, 5)
    const gradient = Array.from(tf.grad((logits: tf.Tensor) => softTargetCrossEntropy(logits as tf.Tensor2D, targets))(tf.tensor2d(z)).dataSync())
    const handGradient = z.flatMap((row, i) => Array.from(softmax(row)).map((p, c) => (p - (t[i]?.[c] as number)) / 2))
    gradient.forEach((g, i) => expect(g).toBeCloseTo(handGradient[i] as number, 6))
  })
})

describe('PredictionStore', () => {
  it('stores softmax(logits) per training index, grows, and round-trips through save / load', () => {
    const store = new PredictionStore(2)
    expect(store.rows(Int32Array.of(0, 3))).toStrictEqual([null, null])
    store.record(Int32Array.of(3, 0), Float32Array.of(0, Math.log(3), 1, 1))
    const [three, zero] = store.rows(Int32Array.of(3, 0))
    expect(Array.from(three ?? [])).toStrictEqual([Math.fround(0.25), Math.fround(0.75)])
    expect(Array.from(zero ?? [])).toStrictEqual([0.5, 0.5])
    expect(store.rows(Int32Array.of(1))).toStrictEqual([null])
    expect(store.recorded).toBe(2)
    store.record(Int32Array.of(40), Float32Array.of(5, 5))
    const saved = store.save()
    // index 40 grew the store past 41 rows (doubling); only rows 0..40 are saved
    expect([saved.recorded.length, saved.predictions.length]).toStrictEqual([41, 82])
    expect(saved.recorded.reduce((a, b) => a + b, 0)).toBe(3)
    const restored = new PredictionStore(2)
    restored.load(saved.predictions, saved.recorded)
    expect(restored.rows(Int32Array.of(3, 1, 40)).map((r) => (r === null ? null : Array.from(r)))).toStrictEqual([[0.25, 0.75].map(Math.fround), null, [0.5, 0.5]])
    expect(() => restored.load(new Float32Array(3), new Float32Array(2))).toThrow(FormatError)
  })
})

describe('psKdMethod', () => {
  it('is cross-entropy in the first epoch, then learns from the previous epoch\'s predictions; no gradient reaches the targets', () => {
    const method = psKdMethod({ alpha: 0.8 }, 3)
    const logits = tf.tensor2d([[2, -1, 0.5]])
    const oneHot = tf.tensor2d([[0, 1, 0]])
    const batch = (epoch: number) => ({ oneHot, labels: Int32Array.of(1), indices: Int32Array.of(7), step: epoch, epoch, epochs: 4 })
    const context = { head: { weight: tf.variable(tf.zeros([2, 3])), bias: tf.variable(tf.zeros([3])) }, seed: 0 }
    const pass = { features: tf.zeros<tf.Rank.R2>([1, 2]), stages: [], logits }
    const first = method.loss(pass, batch(0), context)
    expect(first.total.dataSync()[0]).toBeCloseTo(-(logSoftmax([2, -1, 0.5])[1] as number), 5)
    method.afterStep?.(Float32Array.of(1, 0, 0), batch(0))
    // epoch 1 of 4: alpha = 0.4, target = 0.6 onehot(1) + 0.4 softmax([1, 0, 0])
    const previous = softmax([1, 0, 0])
    const target = [0, 1, 0].map((y, c) => 0.6 * y + 0.4 * (previous[c] as number))
    const expected = -Array.from(logSoftmax([2, -1, 0.5])).reduce((sum, l, c) => sum + (target[c] as number) * l, 0)
    expect(method.loss(pass, batch(1), context).total.dataSync()[0]).toBeCloseTo(expected, 5)
    const gradient = Array.from(tf.grad((z: tf.Tensor) => method.loss({ ...pass, logits: z as tf.Tensor2D }, batch(1), context).total)(logits).dataSync())
    Array.from(softmax([2, -1, 0.5])).forEach((p, c) => expect(gradient[c]).toBeCloseTo(p - (target[c] as number), 6))
    const state = method.saveState?.()
    expect(state?.json).toStrictEqual({ classes: 3 })
    const other = psKdMethod({ alpha: 0.8 }, 3)
    other.loadState?.(state ?? { json: null, tensors: {} })
    expect(other.loss(pass, batch(1), context).total.dataSync()[0]).toBeCloseTo(expected, 6)
    expect(() => other.loadState?.({ json: null, tensors: {} })).toThrow(/no PS-KD predictions/)
    expect(() => psKdMethod({ alpha: -0.1 }, 3)).toThrow(/--ps-kd-alpha/)
  })
})
