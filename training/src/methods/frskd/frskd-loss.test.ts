import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { klDivergenceFromLogits, logSoftmax, softmax } from '@sd-dropout/sdk'
import { attentionMap, attentionTransferLoss } from './attention-transfer.js'
import { frskdLoss } from './frskd-loss.js'
import { fuse, FUSION_EPSILON } from './fusion-weights.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync())

// One item, a 2 x 2 map of 2 channels: pixels (1, 1), (2, 0), (0, 0), (3, 1) -> mean_c F^2 = [1, 2, 0, 5].
const studentPixels = [1, 1, 2, 0, 0, 0, 3, 1]
// A 3-channel teacher map of the same size: mean_c F^2 = [3, 0, 12, 3] / 3 = [1, 0, 4, 1].
const teacherPixels = [1, 1, 1, 0, 0, 0, 2, 2, 2, 1, 1, 1]

/** at(F) by hand: L2-normalised mean of squares. */
function handAttention(means: number[]): number[] {
  const norm = Math.sqrt(means.reduce((s, v) => s + v * v, 0))
  return means.map((v) => v / norm)
}

function handAttentionLoss(): number {
  const a = handAttention([1, 2, 0, 5])
  const b = handAttention([1, 0, 4, 1])
  return a.reduce((s, v, i) => s + (v - (b[i] as number)) ** 2, 0) / 4
}

describe('attention transfer', () => {
  it('at(F) is the L2-normalised channel mean of F^2 per item', () => {
    const at = values(attentionMap(tf.tensor4d(studentPixels, [1, 2, 2, 2])))
    handAttention([1, 2, 0, 5]).forEach((v, i) => expect(at[i]).toBeCloseTo(v, 6))
    expect(values(attentionMap(tf.zeros([1, 2, 2, 3])))).toStrictEqual([0, 0, 0, 0])
  })

  it('is the mean squared difference of the two attention maps, and sends no gradient to the teacher map', () => {
    const student = tf.tensor4d(studentPixels, [1, 2, 2, 2])
    const teacher = tf.tensor4d(teacherPixels, [1, 2, 2, 3])
    expect(attentionTransferLoss(student, teacher).dataSync()[0]).toBeCloseTo(handAttentionLoss(), 6)
    const [toStudent, toTeacher] = tf.grads((s: tf.Tensor, t: tf.Tensor) => attentionTransferLoss(s as tf.Tensor4D, t as tf.Tensor4D))([student, teacher])
    expect(values(toTeacher as tf.Tensor).map(Math.abs)).toStrictEqual(new Array<number>(12).fill(0))
    expect(Math.max(...values(toStudent as tf.Tensor).map(Math.abs))).toBeGreaterThan(1e-3)
    // a zero map has a zero (not NaN) gradient
    const dead = tf.grad((s: tf.Tensor) => attentionTransferLoss(s as tf.Tensor4D, teacher))(tf.zeros([1, 2, 2, 2]))
    expect(values(dead).map(Math.abs)).toStrictEqual(new Array<number>(8).fill(0))
  })
})

describe('frskdLoss', () => {
  const s = [
    [2, 0, -1],
    [0.5, 1, 0],
  ]
  const t = [
    [1, 1, -2],
    [-1, 3, 0],
  ]
  const y = [0, 1]
  const options = { alpha: 2, beta: 100, temperature: 4 }

  function inputs(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, studentMap: tf.Tensor4D, teacherMap: tf.Tensor4D) {
    return { studentLogits, teacherLogits, studentMaps: [studentMap], teacherMaps: [teacherMap], oneHot: tf.tensor2d([[1, 0, 0], [0, 1, 0]]) }
  }
  const maps = (): [tf.Tensor4D, tf.Tensor4D] => [tf.tensor4d([...studentPixels, ...studentPixels], [2, 2, 2, 2]), tf.tensor4d([...teacherPixels, ...teacherPixels], [2, 2, 2, 3])]

  it('is CE(s) + CE(t) + alpha tau^2 KL(t || s) + beta AT, by the reference math', () => {
    const ce = (rows: number[][]) => -rows.reduce((sum, row, i) => sum + (logSoftmax(row)[y[i] as number] as number), 0) / 2
    const kl = (klDivergenceFromLogits(t[0] as number[], s[0] as number[], 4) + klDivergenceFromLogits(t[1] as number[], s[1] as number[], 4)) / 2
    const at = handAttentionLoss()
    const { total, terms } = frskdLoss(inputs(tf.tensor2d(s), tf.tensor2d(t), ...maps()), options)
    expect(terms.ce?.dataSync()[0]).toBeCloseTo(ce(s), 5)
    expect(terms.teacherCe?.dataSync()[0]).toBeCloseTo(ce(t), 5)
    expect(terms.kd?.dataSync()[0]).toBeCloseTo(16 * kl, 5)
    expect(terms.attention?.dataSync()[0]).toBeCloseTo(at, 6)
    expect(total.dataSync()[0]).toBeCloseTo(ce(s) + ce(t) + 2 * 16 * kl + 100 * at, 4)
  })

  it('trains the teacher only through CE(t, y): no gradient reaches the detached teacher in KD or AT', () => {
    const [studentMap, teacherMap] = maps()
    const grads = tf.grads((sl: tf.Tensor, tl: tf.Tensor, sm: tf.Tensor, tm: tf.Tensor) =>
      frskdLoss(inputs(sl as tf.Tensor2D, tl as tf.Tensor2D, sm as tf.Tensor4D, tm as tf.Tensor4D), options).total,
    )([tf.tensor2d(s), tf.tensor2d(t), studentMap, teacherMap])
    const [toStudent, toTeacher, , toTeacherMap] = grads.map(values)
    // d CE(t, y) / dt = (softmax(t) - onehot) / B
    t.forEach((row, i) => Array.from(softmax(row)).forEach((p, c) => expect(toTeacher?.[i * 3 + c]).toBeCloseTo((p - (c === y[i] ? 1 : 0)) / 2, 6)))
    expect(toTeacherMap?.map(Math.abs)).toStrictEqual(new Array<number>(24).fill(0))
    // d/ds [CE(s) + alpha tau^2 KL] = (softmax(s) - onehot) / B + alpha tau (softmax(s / tau) - softmax(t / tau)) / B
    s.forEach((row, i) => {
      const p = softmax(row)
      const q = softmax(row, 4)
      const r = softmax(t[i] as number[], 4)
      for (let c = 0; c < 3; c++) expect(toStudent?.[i * 3 + c]).toBeCloseTo(((p[c] as number) - (c === y[i] ? 1 : 0)) / 2 + (2 * 4 * ((q[c] as number) - (r[c] as number))) / 2, 5)
    })
  })
})

describe('fuse', () => {
  it('weights inputs by relu(w) / (sum relu(w) + eps)', () => {
    const a = tf.tensor1d([1, 2])
    const b = tf.tensor1d([10, 20])
    const c = tf.tensor1d([100, 200])
    const fused = values(fuse(tf.tensor1d([1, -2, 3]), [a, b, c]))
    const norm = 4 + FUSION_EPSILON
    expect(fused[0]).toBeCloseTo((1 + 300) / norm, 4)
    expect(fused[1]).toBeCloseTo((2 + 600) / norm, 4)
    // the clamped weight gets no gradient; the others do
    const gradient = values(tf.grad((w: tf.Tensor) => tf.sum(fuse(w as tf.Tensor1D, [a, b, c])))(tf.tensor1d([1, -2, 3])))
    expect(Math.abs(gradient[1] as number)).toBe(0)
    // d/dw0 of (w0 sa + w2 sc) / (w0 + w2) at w = (1, 3): (sa (w0 + w2) - (w0 sa + w2 sc)) / (w0 + w2)^2 with sa = 3, sc = 300
    expect(gradient[0]).toBeCloseTo((3 * 4 - (3 + 900)) / 16, 3)
  })
})
