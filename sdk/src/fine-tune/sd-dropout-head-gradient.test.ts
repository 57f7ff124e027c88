import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-core/dist/register_all_gradients'
import { beforeAll, describe, expect, it } from 'vitest'
import { dropoutMask } from '../masks/dropout-mask.js'
import { klDivergenceFromLogits } from '../math/kl-divergence.js'
import { logSoftmax } from '../math/softmax.js'
import type { SdDropoutLossSettings } from './head-gradient-kernel.js'
import { sdDropoutHeadGradient, type ReferenceGradientInput } from './sd-dropout-head-gradient.js'

// The analytic head gradient against (1) central finite differences of an independently written
// float64 loss, relative 1e-3, and (2) tf.js autodiff of the same loss (cpu backend, float32) fed
// the same masks; for detach on and off and lambda = 0.

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

const D = 5
const C = 4
const N = 6
const EXAMPLES = [2, 0, 5, 3]

function tinyCase(seed: number, loss: SdDropoutLossSettings): ReferenceGradientInput {
  const next = random(seed)
  return {
    weight: Float64Array.from({ length: D * C }, () => (next() * 2 - 1) * 1.5),
    bias: Float64Array.from({ length: C }, () => next() - 0.5),
    featureDim: D,
    classes: C,
    features: Float64Array.from({ length: N * D }, () => (next() < 0.15 ? 0 : next() * 2)),
    labels: Array.from({ length: N }, (_, i) => (i * 3) % C),
    examples: EXAMPLES,
    loss,
  }
}

/** The loss written straight from DESIGN section 1, in float64; `detach` holds each KL target at its value at `frozen`. */
function independentLoss(input: ReferenceGradientInput, frozen: { weight: ArrayLike<number>; bias: ArrayLike<number> } | null): number {
  const { featureDim: d, classes: c, loss } = input
  const logits = (weight: ArrayLike<number>, bias: ArrayLike<number>, h: ArrayLike<number>, mask: ArrayLike<number> | null): number[] =>
    Array.from({ length: c }, (_, j) => {
      let z = bias[j] as number
      for (let f = 0; f < d; f++) z += (h[f] as number) * (mask === null ? 1 : (mask[f] as number)) * (weight[f * c + j] as number)
      return z
    })
  let total = 0
  for (const e of Array.from(input.examples)) {
    const h = input.features.subarray(e * d, (e + 1) * d)
    const y = input.labels[e] as number
    total -= logSoftmax(logits(input.weight, input.bias, h, null))[y] as number
    if (loss.lambda === 0) continue
    const m1 = dropoutMask(loss.maskSeed, 2 * e, d, loss.dropoutRate)
    const m2 = dropoutMask(loss.maskSeed, 2 * e + 1, d, loss.dropoutRate)
    const z1 = logits(input.weight, input.bias, h, m1)
    const z2 = logits(input.weight, input.bias, h, m2)
    const t1 = frozen === null ? z1 : logits(frozen.weight, frozen.bias, h, m1)
    const t2 = frozen === null ? z2 : logits(frozen.weight, frozen.bias, h, m2)
    // official kl_div_loss(pred, target) = KL(softmax(target / tau) || softmax(pred / tau))
    const kl = klDivergenceFromLogits(t2, z1, loss.temperature) + klDivergenceFromLogits(t1, z2, loss.temperature)
    total += loss.lambda * loss.temperature ** 2 * kl
  }
  return total / input.examples.length
}

/** Central differences of `independentLoss` over every weight and bias. */
function finiteDifferences(input: ReferenceGradientInput): { weight: Float64Array; bias: Float64Array } {
  const frozen = input.loss.detach ? { weight: input.weight.slice(), bias: input.bias.slice() } : null
  const gradientOf = (values: Float64Array): Float64Array =>
    values.map((_, k) => {
      const original = values[k] as number
      const step = 1e-6 * Math.max(1, Math.abs(original))
      values[k] = original + step
      const up = independentLoss(input, frozen)
      values[k] = original - step
      const down = independentLoss(input, frozen)
      values[k] = original
      return (up - down) / (2 * step)
    })
  return { weight: gradientOf(input.weight as Float64Array), bias: gradientOf(input.bias as Float64Array) }
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number, absolute: number): void {
  expect(actual.length).toBe(expected.length)
  for (let k = 0; k < expected.length; k++) {
    const e = expected[k] as number
    expect(Math.abs((actual[k] as number) - e), `entry ${k}: ${actual[k]} vs ${e}`).toBeLessThanOrEqual(relative * Math.abs(e) + absolute)
  }
}

const SETTINGS: readonly [string, SdDropoutLossSettings][] = [
  ['SD-Dropout, gradients through both sides', { dropoutRate: 0.4, temperature: 2, lambda: 1, detach: false, maskSeed: 11 }],
  ['SD-Dropout, target side detached', { dropoutRate: 0.4, temperature: 3, lambda: 0.7, detach: true, maskSeed: 12 }],
  ['plain cross-entropy (lambda = 0)', { dropoutRate: 0.5, temperature: 3, lambda: 0, detach: false, maskSeed: 13 }],
]

describe.each(SETTINGS)('sdDropoutHeadGradient: %s', (_, loss) => {
  const input = tinyCase(5, loss)
  const analytic = sdDropoutHeadGradient(input)

  it('reports the loss of the formula (batch mean, CE + lambda tau^2 symmetric KL)', () => {
    expect(analytic.loss).toBeCloseTo(independentLoss(input, null), 12)
    expect(analytic.loss).toBeCloseTo(analytic.crossEntropy + loss.lambda * analytic.distillation, 12)
    if (loss.lambda === 0) expect(analytic.distillation).toBe(0)
    else expect(analytic.distillation).toBeGreaterThan(0)
  })

  it('matches central finite differences within relative 1e-3 (float64)', () => {
    const numeric = finiteDifferences(input)
    expectClose(analytic.weightGradient, numeric.weight, 1e-3, 1e-8)
    expectClose(analytic.biasGradient, numeric.bias, 1e-3, 1e-8)
  })

  it('matches tf.js autodiff of the same loss with the same masks (float32, within 2e-5 + 1e-4 |g|)', () => {
    const autodiff = tfjsGradient(input)
    expectClose(analytic.weightGradient, autodiff.weight, 1e-4, 2e-5)
    expectClose(analytic.biasGradient, autodiff.bias, 1e-4, 2e-5)
    expect(Math.abs(analytic.loss - autodiff.loss)).toBeLessThan(1e-5 * (1 + analytic.loss))
  })
})

describe('sdDropoutHeadGradient properties', () => {
  const loss: SdDropoutLossSettings = { dropoutRate: 0.5, temperature: 3, lambda: 1, detach: false, maskSeed: 3 }

  it('gives the hand-computed cross-entropy gradient for W = 0, b = 0', () => {
    const step = sdDropoutHeadGradient({
      weight: new Float64Array(4),
      bias: new Float64Array(2),
      featureDim: 2,
      classes: 2,
      features: Float64Array.from([1, 2]),
      labels: [0],
      examples: [0],
      loss: { ...loss, lambda: 0 },
    })
    // p0 = [0.5, 0.5], dz0 = p0 - onehot(0) = [-0.5, 0.5], dW = h^T dz0, CE = ln 2
    expect(Array.from(step.weightGradient)).toStrictEqual([-0.5, 0.5, -1, 1])
    expect(Array.from(step.biasGradient)).toStrictEqual([-0.5, 0.5])
    expect(step.crossEntropy).toBeCloseTo(Math.LN2, 14)
    expect(step.correct).toBe(1) // a tie goes to the first class, which is the label
  })

  it('reduces to the cross-entropy gradient when p = 0 (identical branches: no KL and no KL gradient)', () => {
    for (const detach of [false, true]) {
      const withKl = sdDropoutHeadGradient(tinyCase(8, { ...loss, dropoutRate: 0, detach }))
      const plain = sdDropoutHeadGradient(tinyCase(8, { ...loss, lambda: 0 }))
      expect(withKl.distillation).toBe(0)
      expectClose(withKl.weightGradient, plain.weightGradient, 0, 1e-15)
      expectClose(withKl.biasGradient, plain.biasGradient, 0, 1e-15)
    }
  })

  it('is the mean of per-example gradients, independent of batch order (masks are keyed by the example)', () => {
    const input = tinyCase(9, loss)
    const batch = sdDropoutHeadGradient(input)
    const reversed = sdDropoutHeadGradient({ ...input, examples: [...EXAMPLES].reverse() })
    expectClose(reversed.weightGradient, batch.weightGradient, 0, 1e-15)
    const mean = new Float64Array(D * C)
    for (const e of EXAMPLES) {
      const one = sdDropoutHeadGradient({ ...input, examples: [e] })
      one.weightGradient.forEach((v, k) => (mean[k] = (mean[k] as number) + v / EXAMPLES.length))
    }
    expectClose(batch.weightGradient, mean, 0, 1e-14)
  })

  it('differs between detach and no detach at the same loss value', () => {
    const both = sdDropoutHeadGradient(tinyCase(10, loss))
    const detached = sdDropoutHeadGradient(tinyCase(10, { ...loss, detach: true }))
    expect(detached.loss).toBe(both.loss)
    const difference = Array.from(both.weightGradient).reduce((sum, v, k) => sum + Math.abs(v - (detached.weightGradient[k] as number)), 0)
    expect(difference).toBeGreaterThan(1e-4)
  })
})

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** The same loss in tf.js ops (the official code's structure), differentiated by tf.js; stop-gradient by customGrad. */
function tfjsGradient(input: ReferenceGradientInput): { weight: Float64Array; bias: Float64Array; loss: number } {
  const { featureDim: d, classes: c, loss } = input
  const examples = Array.from(input.examples)
  const rows = examples.flatMap((e) => Array.from(input.features.subarray(e * d, (e + 1) * d)))
  const masks = (k: number): number[] => examples.flatMap((e) => Array.from(dropoutMask(loss.maskSeed, 2 * e + k, d, loss.dropoutRate)))
  const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: (args[0] as tf.Tensor).clone(),
    gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
  }))
  const result = tf.tidy(() => {
    const h = tf.tensor2d(rows, [examples.length, d])
    const onehot = tf.oneHot(tf.tensor1d(examples.map((e) => input.labels[e] as number), 'int32'), c)
    const w = tf.tensor2d(Array.from(input.weight), [d, c])
    const b = tf.tensor1d(Array.from(input.bias))
    const lossOf = (weight: tf.Tensor, bias: tf.Tensor): tf.Scalar => {
      const head = (x: tf.Tensor): tf.Tensor => tf.add(tf.matMul(x as tf.Tensor2D, weight as tf.Tensor2D), bias)
      const ce = tf.neg(tf.mean(tf.sum(tf.mul(onehot, tf.logSoftmax(head(h))), -1)))
      if (loss.lambda === 0) return ce as tf.Scalar
      const z1 = head(tf.mul(h, tf.tensor2d(masks(0), [examples.length, d])))
      const z2 = head(tf.mul(h, tf.tensor2d(masks(1), [examples.length, d])))
      const target = (z: tf.Tensor): tf.Tensor => (loss.detach ? stopGradient(z) : z)
      // kl_div_loss(pred, target) = batchmean sum softmax(target/T) (log softmax(target/T) - log softmax(pred/T))
      const klDiv = (pred: tf.Tensor, tgt: tf.Tensor): tf.Tensor => {
        const logTarget = tf.logSoftmax(tf.div(tgt, loss.temperature))
        return tf.div(tf.sum(tf.mul(tf.exp(logTarget), tf.sub(logTarget, tf.logSoftmax(tf.div(pred, loss.temperature))))), examples.length)
      }
      const kl = tf.add(klDiv(z1, target(z2)), klDiv(z2, target(z1)))
      return tf.add<tf.Scalar>(ce, tf.mul(loss.lambda * loss.temperature ** 2, kl))
    }
    const { value, grads } = tf.valueAndGrads(lossOf)([w, b])
    return [value, ...grads]
  })
  const [value, weight, bias] = result.map((t) => Float64Array.from(t.dataSync()))
  tf.dispose(result)
  return { weight: weight as Float64Array, bias: bias as Float64Array, loss: value?.[0] as number }
}
