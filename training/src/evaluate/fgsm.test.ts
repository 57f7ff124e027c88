import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend/select-backend.js'
import { fgsmExamples, inputBounds } from './fgsm.js'

// A backbone h = x A (dense, no bias) and a head z = h W + b: the CE input gradient is
// A W (softmax(z) - onehot(y)), whose sign FGSM takes.
let backbone: tfl.LayersModel
const A = [
  [1, 0],
  [0, -2],
]
const head = { weight: Float32Array.of(1, -1, 0.5, 2), bias: Float32Array.of(0, 0.1), featureDim: 2, classes: 2 }

beforeAll(async () => {
  await selectBackend('wasm')
  const input = tfl.input({ shape: [2] })
  const dense = tfl.layers.dense({ units: 2, useBias: false, weights: [tf.tensor2d(A)] })
  backbone = tfl.model({ inputs: input, outputs: dense.apply(input) as tfl.SymbolicTensor })
})
afterAll(() => backbone.dispose())

function expectedSigns(x: readonly number[], y: number): number[] {
  const h = [x[0]! * A[0]![0]! + x[1]! * A[1]![0]!, x[0]! * A[0]![1]! + x[1]! * A[1]![1]!]
  const z = [0, 1].map((c) => h[0]! * head.weight[c]! + h[1]! * head.weight[2 + c]! + head.bias[c]!)
  const m = Math.max(...z)
  const e = z.map((v) => Math.exp(v - m))
  const p = e.map((v) => v / (e[0]! + e[1]!))
  const g = p.map((v, c) => v - (c === y ? 1 : 0)) // dCE/dz
  const gh = [0, 1].map((d) => g[0]! * head.weight[d * 2]! + g[1]! * head.weight[d * 2 + 1]!) // dCE/dh
  return [0, 1].map((i) => Math.sign(gh[0]! * A[i]![0]! + gh[1]! * A[i]![1]!)) // dCE/dx
}

describe('fgsmExamples', () => {
  it('steps every input by epsilon along the sign of the hand-computed CE gradient (vector model: no clipping)', () => {
    const x = [0.3, -0.2, 1.5, 0.7]
    const labels = Int32Array.of(0, 1)
    const out = fgsmExamples(backbone, head, Float32Array.from(x), labels, [2], 0.25, null, 1)
    const signs = [...expectedSigns(x.slice(0, 2), 0), ...expectedSigns(x.slice(2), 1)]
    expect(signs.every((s) => s !== 0)).toBe(true)
    Array.from(out).forEach((v, k) => expect(v).toBeCloseTo((x[k] as number) + 0.25 * (signs[k] as number), 6))
  })

  it('raises the loss: the adversarial logits give the true class less probability', () => {
    const x = Float32Array.of(0.3, -0.2)
    const labels = Int32Array.of(1)
    const pTrue = (input: Float32Array) =>
      tf.tidy(() => tf.softmax(tf.add(tf.matMul(backbone.predict(tf.tensor2d(input, [1, 2])) as tf.Tensor2D, tf.tensor2d(head.weight, [2, 2])), tf.tensor1d(head.bias))).dataSync()[1] as number)
    expect(pTrue(fgsmExamples(backbone, head, x, labels, [2], 0.1, null))).toBeLessThan(pTrue(x))
  })

  it('converts pixel epsilon to model space per channel and clips to the valid pixel range', () => {
    const spec = { shape: [1, 1, 2], kind: 'image' as const, image: { channels: 3 as const, height: 1, width: 1, scale: 1 / 255, mean: [0.5, 0], std: [0.25, 1], invert: false, mnistCentering: false } }
    const bounds = inputBounds(spec)
    expect(bounds).toStrictEqual({ lower: [-2, -0], upper: [2, 1], unit: [4, 1] })
    expect(inputBounds({ shape: [3], kind: 'vector', image: null })).toBeNull()
    // model-space inputs near the top of each channel: the step is 4 eps / 1 eps, then clipped at 2 / 1
    const x = [1.9, 0.95]
    const out = fgsmExamples(backbone, head, Float32Array.from(x), Int32Array.of(0), [2], 0.1, bounds)
    const signs = expectedSigns(x, 0)
    const expected = x.map((v, c) => Math.min(bounds!.upper[c]!, Math.max(bounds!.lower[c]!, v + 0.1 * bounds!.unit[c]! * signs[c]!)))
    Array.from(out).forEach((v, k) => expect(v).toBeCloseTo(expected[k] as number, 6))
  })
})
