import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../select-backend.js'

interface ConvCase {
  readonly name: string
  readonly input: [number, number, number, number]
  readonly filter: [number, number, number, number]
  readonly stride: number
  readonly pad: 'same' | 'valid'
  readonly depthwise: boolean
}

const cases: readonly ConvCase[] = [
  { name: '3x3 s1 same 1->4', input: [2, 7, 7, 1], filter: [3, 3, 1, 4], stride: 1, pad: 'same', depthwise: false },
  { name: '3x3 s1 valid 3->5', input: [2, 8, 6, 3], filter: [3, 3, 3, 5], stride: 1, pad: 'valid', depthwise: false },
  { name: '3x3 s2 same 4->6 (odd size)', input: [3, 9, 9, 4], filter: [3, 3, 4, 6], stride: 2, pad: 'same', depthwise: false },
  { name: '3x3 s2 valid 2->3', input: [2, 10, 9, 2], filter: [3, 3, 2, 3], stride: 2, pad: 'valid', depthwise: false },
  { name: '1x1 s2 same 8->16 (resnet shortcut)', input: [2, 8, 8, 8], filter: [1, 1, 8, 16], stride: 2, pad: 'same', depthwise: false },
  { name: '5x5 s1 same 2->3 (even size)', input: [1, 6, 6, 2], filter: [5, 5, 2, 3], stride: 1, pad: 'same', depthwise: false },
  { name: 'depthwise 3x3 s1 same x1', input: [2, 7, 7, 3], filter: [3, 3, 3, 1], stride: 1, pad: 'same', depthwise: true },
  { name: 'depthwise 3x3 s2 same x2', input: [2, 9, 8, 4], filter: [3, 3, 4, 2], stride: 2, pad: 'same', depthwise: true },
  { name: 'depthwise 3x3 s1 valid x1', input: [2, 6, 6, 2], filter: [3, 3, 2, 1], stride: 1, pad: 'valid', depthwise: true },
  { name: 'depthwise 3x3 s2 valid x1', input: [1, 9, 9, 3], filter: [3, 3, 3, 1], stride: 2, pad: 'valid', depthwise: true },
]

/** Deterministic values in [-1, 1] (a tiny LCG; the same on every backend). */
function values(count: number, seed: number): Float32Array {
  const out = new Float32Array(count)
  let state = seed >>> 0
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    out[i] = state / 2 ** 31 - 1
  }
  return out
}

/** Gradients of sum(conv(x, w) * r) with respect to x and w, on the active backend. */
function gradients(c: ConvCase): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(values(c.input.reduce((a, b) => a * b), 1), c.input)
    const w = tf.tensor4d(values(c.filter.reduce((a, b) => a * b), 2), c.filter)
    const conv = (xx: tf.Tensor4D, ww: tf.Tensor4D): tf.Tensor4D =>
      c.depthwise ? tf.depthwiseConv2d(xx, ww, c.stride, c.pad) : tf.conv2d(xx, ww, c.stride, c.pad)
    const outShape = conv(x, w).shape
    const r = tf.tensor(values(outShape.reduce((a, b) => a * b), 3), outShape)
    const [dx, dw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(conv(xx as tf.Tensor4D, ww as tf.Tensor4D), r)))([x, w])
    return { dx: (dx as tf.Tensor).dataSync() as Float32Array, dw: (dw as tf.Tensor).dataSync() as Float32Array }
  })
}

function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0
  let scale = 0
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] as number) - (expected[i] as number)))
    scale = Math.max(scale, Math.abs(expected[i] as number))
  }
  return diff / scale
}

describe('wasm gradient kernels', () => {
  const reference = new Map<string, { dx: Float32Array; dw: Float32Array }>()

  beforeAll(async () => {
    await tf.setBackend('cpu')
    for (const c of cases) reference.set(c.name, gradients(c))
    const selected = await selectBackend('wasm')
    expect(selected.tfjsName).toBe('wasm')
  })

  it.each(cases.map((c) => [c.name, c] as const))('match the cpu backend within 1e-3 relative: %s', (_name, c) => {
    const expected = reference.get(c.name)
    if (expected === undefined) throw new Error('missing reference')
    const actual = gradients(c)
    expect(actual.dx.length).toBe(expected.dx.length)
    expect(actual.dw.length).toBe(expected.dw.length)
    expect(relativeError(actual.dx, expected.dx)).toBeLessThan(1e-3)
    expect(relativeError(actual.dw, expected.dw)).toBeLessThan(1e-3)
  })

  it('keeps transposed matrix products exact (the BatchMatMul fast path)', () => {
    const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3])
    const b = tf.tensor2d([1, 0, -1, 2, 0.5, 1], [2, 3])
    expect(Array.from(tf.matMul(a, b, true, false).dataSync())).toStrictEqual([9, 2, 3, 12, 2.5, 3, 15, 3, 3])
    expect(Array.from(tf.matMul(a, b, false, true).dataSync())).toStrictEqual([-2, 6, -2, 16.5])
    tf.dispose([a, b])
  })

  it('frees every intermediate (no tensor or memory leak per gradient)', () => {
    const c = cases[2] as ConvCase
    gradients(c)
    const tensorsBefore = tf.memory().numTensors
    const dataBefore = tf.engine().backend.numDataIds()
    gradients(c)
    gradients(cases[7] as ConvCase)
    expect(tf.memory().numTensors).toBe(tensorsBefore)
    expect(tf.engine().backend.numDataIds()).toBe(dataBefore)
  })
})
