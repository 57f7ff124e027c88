import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { klDivergenceFromLogits, logSoftmax, ShapeError, softmax } from '@sd-dropout/sdk'
import { lsskdLoss, type LsskdLossInputs } from './lsskd-loss.js'
import { jointLabels, rotatedCopies } from './rotated-copies.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync())

describe('rotatedCopies', () => {
  it('appends the 90, 180 and 270 degree counter-clockwise turns of every item, originals first', () => {
    // [[1, 2], [3, 4]] -> rot90 [[2, 4], [1, 3]], rot180 [[4, 3], [2, 1]], rot270 [[3, 1], [4, 2]] (torch.rot90)
    expect(Array.from(rotatedCopies(Float32Array.of(1, 2, 3, 4), 1, [2, 2, 1]))).toStrictEqual([1, 2, 3, 4, 2, 4, 1, 3, 4, 3, 2, 1, 3, 1, 4, 2])
    // two items of 2 channels: block r holds both items turned r times, channels moved together
    const two = Float32Array.of(1, -1, 2, -2, 3, -3, 4, -4, 5, 0, 6, 0, 7, 0, 8, 0)
    const out = rotatedCopies(two, 2, [2, 2, 2])
    expect(Array.from(out.subarray(16, 24))).toStrictEqual([2, -2, 4, -4, 1, -1, 3, -3])
    expect(Array.from(out.subarray(24, 32))).toStrictEqual([6, 0, 8, 0, 5, 0, 7, 0])
  })

  it('four quarter turns give back the image (3 x 3)', () => {
    const image = Float32Array.from({ length: 9 }, (_, i) => i + 1)
    const quarter = rotatedCopies(image, 1, [3, 3, 1]).slice(9, 18)
    const threeMore = rotatedCopies(quarter, 1, [3, 3, 1]).slice(27, 36)
    expect(Array.from(threeMore)).toStrictEqual(Array.from(image))
    expect(Array.from(quarter)).toStrictEqual([3, 6, 9, 2, 5, 8, 1, 4, 7])
  })

  it('refuses non-square images', () => {
    expect(() => rotatedCopies(new Float32Array(6), 1, [2, 3, 1])).toThrow(ShapeError)
  })

  it('labels row r * B + i with the joint class 4 y_i + r', () => {
    expect(Array.from(jointLabels(Int32Array.of(2, 0)))).toStrictEqual([8, 0, 9, 1, 10, 2, 11, 3])
  })
})

describe('lsskdLoss', () => {
  // One original item (B = 1, C = 2, label 1), its 4 rotations (N = 4, 4C = 8 joint classes), D = 3.
  const z0 = [[0.3, 1.2]]
  const auxiliary = Array.from({ length: 4 }, (_, r) => Array.from({ length: 8 }, (_, c) => Math.sin(1 + r * 8 + c)))
  const deep = Array.from({ length: 4 }, (_, r) => Array.from({ length: 8 }, (_, c) => 2 * Math.cos(r * 8 + c)))
  const g = [[1, 2, 2], [0, 3, 4], [1, 0, 0], [2, 2, 1]]
  const h = [[2, 1, 2], [0, 4, 3], [0, 1, 0], [1, 2, 2]]
  const joint = Array.from(jointLabels(Int32Array.of(1)))
  const options = { temperature: 3, klWeight: 0.5, featureWeight: 2 }

  function inputs(a: tf.Tensor2D, d: tf.Tensor2D, gj: tf.Tensor2D, hd: tf.Tensor2D): LsskdLossInputs {
    return {
      logits: tf.tensor2d(z0),
      oneHot: tf.tensor2d([[0, 1]]),
      auxiliaryLogits: [a],
      deepLogits: d,
      jointOneHot: tf.cast(tf.oneHot(tf.tensor1d(joint, 'int32'), 8), 'float32') as tf.Tensor2D,
      auxiliaryFeatures: [gj],
      deepFeatures: hd,
    }
  }

  it('equals CE + joint CEs + kl tau^2 KL(deep || shallow) + feature alignment, by the reference math', () => {
    const ce = -(logSoftmax(z0[0] as number[])[1] as number)
    const jointCe = (rows: number[][]) => -rows.reduce((sum, row, i) => sum + (logSoftmax(row)[joint[i] as number] as number), 0) / 4
    const kl = (9 * deep.reduce((sum, row, i) => sum + klDivergenceFromLogits(row, auxiliary[i] as number[], 3), 0)) / 4
    const unit = (v: number[]) => v.map((x) => x / Math.hypot(...v))
    const alignment = g.reduce((sum, row, i) => sum + unit(row).reduce((acc, x, d) => acc + (x - (unit(h[i] as number[])[d] as number)) ** 2, 0), 0) / 4
    const { total, terms } = lsskdLoss(inputs(tf.tensor2d(auxiliary), tf.tensor2d(deep), tf.tensor2d(g), tf.tensor2d(h)), options)
    expect(terms.ce?.dataSync()[0]).toBeCloseTo(ce, 5)
    expect(terms.jointCe?.dataSync()[0]).toBeCloseTo(jointCe(auxiliary) + jointCe(deep), 5)
    expect(terms.kl?.dataSync()[0]).toBeCloseTo(kl, 5)
    expect(terms.alignment?.dataSync()[0]).toBeCloseTo(alignment, 5)
    expect(total.dataSync()[0]).toBeCloseTo(ce + jointCe(auxiliary) + jointCe(deep) + 0.5 * kl + 2 * alignment, 4)
  })

  it('sends no gradient to the deep teacher through the KL or the alignment', () => {
    const [toAuxiliary, toDeep, toG, toH] = tf
      .grads((a: tf.Tensor, d: tf.Tensor, gj: tf.Tensor, hd: tf.Tensor) => lsskdLoss(inputs(a as tf.Tensor2D, d as tf.Tensor2D, gj as tf.Tensor2D, hd as tf.Tensor2D), options).total)([
        tf.tensor2d(auxiliary),
        tf.tensor2d(deep),
        tf.tensor2d(g),
        tf.tensor2d(h),
      ])
      .map(values)
    // the deep logits learn from their joint labels only: (softmax(d) - onehot) / N
    deep.forEach((row, i) => Array.from(softmax(row)).forEach((p, c) => expect(toDeep?.[i * 8 + c]).toBeCloseTo((p - (c === joint[i] ? 1 : 0)) / 4, 6)))
    expect(toH?.map(Math.abs)).toStrictEqual(new Array<number>(12).fill(0))
    // the shallow logits: (softmax(a) - onehot) / N + klWeight tau (softmax(a / tau) - softmax(d / tau)) / N
    auxiliary.forEach((row, i) => {
      const p = softmax(row)
      const q = softmax(row, 3)
      const r = softmax(deep[i] as number[], 3)
      for (let c = 0; c < 8; c++) expect(toAuxiliary?.[i * 8 + c]).toBeCloseTo(((p[c] as number) - (c === joint[i] ? 1 : 0)) / 4 + (0.5 * 3 * ((q[c] as number) - (r[c] as number))) / 4, 5)
    })
    expect(Math.max(...(toG ?? []).map(Math.abs))).toBeGreaterThan(1e-3)
  })
})
