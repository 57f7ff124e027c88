import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { dropoutMask } from '../masks/dropout-mask.js'
import type { HeadKernel, HeadKernelOutput, HeadKernelScoreName, HeadRunInput, HeadWeights } from './head-kernel.js'
import { loadWasmHeadKernel } from './node/load-wasm-head-kernel.js'
import { createTypeScriptHeadKernel } from './typescript-head-kernel.js'

// The same head three ways: the fused wasm SIMD kernel, the TypeScript reference, and tf.js ops on
// the cpu backend fed the SAME masks (from dropoutMask). All must agree within 1e-5 + 1e-5 |value|.

type Arrays = Pick<HeadKernelOutput, 'logits' | 'probabilities' | 'predictiveEntropy' | 'expectedEntropy' | 'mutualInformation' | 'variance' | 'scores'>

let wasm: HeadKernel
const reference = createTypeScriptHeadKernel()

beforeAll(async () => {
  wasm = await loadWasmHeadKernel()
  await tf.setBackend('cpu')
})

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/** A head with O(1) logits: h in [0, 1) (pooled ReLU features), W ~ U(-1, 1) * 3 / sqrt(D). */
function randomCase(seed: number, batch: number, featureDim: number, classes: number): { weights: HeadWeights; features: Float32Array } {
  const next = random(seed)
  const scale = 3 / Math.sqrt(featureDim)
  const weight = Float32Array.from({ length: featureDim * classes }, () => (next() * 2 - 1) * scale)
  const bias = Float32Array.from({ length: classes }, () => next() - 0.5)
  const features = Float32Array.from({ length: batch * featureDim }, () => (next() < 0.2 ? 0 : next()))
  return { weights: { weight, bias, featureDim, classes }, features }
}

/** The head in tf.js ops (float32, cpu backend), the masks taken from the shared generator. */
function tfjsHead(weights: HeadWeights, input: HeadRunInput): Arrays {
  const { featureDim: d, classes: c } = weights
  const { batch: b, samples: s, temperature: t } = input
  const masks = new Float32Array(s * d)
  for (let k = 0; k < s; k++) dropoutMask(input.seed, k, d, input.dropoutRate, masks.subarray(k * d, (k + 1) * d))
  const tensors = tf.tidy((): Record<string, tf.Tensor> => {
    const h = tf.tensor2d(input.features, [b, d])
    const w = tf.tensor2d(weights.weight, [d, c])
    const z0 = tf.add(tf.matMul(h, w), tf.tensor1d(weights.bias))
    const logP0 = tf.logSoftmax(tf.div(z0, t))
    const p0 = tf.exp(logP0)
    const entropy0 = tf.neg(tf.sum(tf.mul(p0, logP0), -1))
    const out: Record<string, tf.Tensor> = {
      logits: z0,
      msp: tf.sub(1, tf.max(p0, -1)),
      'max-logit': tf.neg(tf.max(z0, -1)),
      energy: tf.neg(tf.logSumExp(z0, -1)),
      entropy: entropy0,
    }
    if (s === 0) return { ...out, probabilities: p0, predictiveEntropy: entropy0, expectedEntropy: entropy0, mutualInformation: tf.zeros([b]), variance: tf.zeros([b]) }
    const x = tf.mul(tf.expandDims(h, 0), tf.expandDims(tf.tensor2d(masks, [s, d]), 1)) // S x B x D
    const zs = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [s * b, d]), w), tf.tensor1d(weights.bias)), [s, b, c])
    const logPs = tf.logSoftmax(tf.div(zs, t))
    const ps = tf.exp(logPs)
    const mean = tf.mean(ps, 0)
    const predictive = tf.neg(tf.sum(tf.where(tf.greater(mean, 0), tf.mul(mean, tf.log(mean)), tf.zerosLike(mean)), -1))
    const expected = tf.mean(tf.neg(tf.sum(tf.mul(ps, logPs), -1)), 0)
    const isLabel = tf.cast(tf.equal(tf.expandDims(tf.argMax(mean, -1), -1), tf.range(0, c, 1, 'int32')), 'float32') // B x C (oneHot needs C >= 2)
    const top = tf.sum(tf.mul(ps, isLabel), -1) // S x B
    const variance = tf.mean(tf.square(tf.sub(top, tf.mean(top, 0))), 0)
    const mi = tf.sub(predictive, expected)
    return { ...out, probabilities: mean, predictiveEntropy: predictive, expectedEntropy: expected, mutualInformation: mi, variance, 'mc-entropy': predictive, 'mutual-information': mi }
  })
  const read = (name: string): Float32Array => {
    const tensor = tensors[name]
    return tensor === undefined ? new Float32Array(0) : Float32Array.from(tensor.dataSync())
  }
  const result: Arrays = {
    logits: read('logits'),
    probabilities: read('probabilities'),
    predictiveEntropy: read('predictiveEntropy'),
    expectedEntropy: read('expectedEntropy'),
    mutualInformation: read('mutualInformation'),
    variance: read('variance'),
    scores: {
      msp: read('msp'),
      'max-logit': read('max-logit'),
      energy: read('energy'),
      entropy: read('entropy'),
      'mc-entropy': s >= 2 ? read('mc-entropy') : null,
      'mutual-information': s >= 2 ? read('mutual-information') : null,
    },
  }
  for (const tensor of Object.values(tensors)) tensor.dispose()
  return result
}

/** Every mismatch beyond 1e-5 + 1e-5 |expected| (or in null-ness), as readable strings. */
function mismatches(actual: Arrays, expected: Arrays, label: string): string[] {
  const problems: string[] = []
  const compare = (name: string, a: Float32Array | null, e: Float32Array | null): void => {
    if (a === null || e === null) {
      if (a !== e) problems.push(`${label} ${name}: ${a === null ? 'null' : 'array'} vs ${e === null ? 'null' : 'array'}`)
      return
    }
    if (a.length !== e.length) problems.push(`${label} ${name}: length ${a.length} vs ${e.length}`)
    for (let j = 0; j < e.length && problems.length < 5; j++) {
      const x = a[j] as number
      const y = e[j] as number
      if (!(Math.abs(x - y) <= 1e-5 + 1e-5 * Math.abs(y))) problems.push(`${label} ${name}[${j}]: ${x} vs ${y}`)
    }
  }
  for (const name of ['logits', 'probabilities', 'predictiveEntropy', 'expectedEntropy', 'mutualInformation', 'variance'] as const) compare(name, actual[name], expected[name])
  for (const name of Object.keys(expected.scores) as HeadKernelScoreName[]) compare(`scores.${name}`, actual.scores[name], expected.scores[name])
  return problems
}

function runAll(weights: HeadWeights, input: HeadRunInput): { fused: HeadKernelOutput; typescript: HeadKernelOutput; tfjs: Arrays } {
  const fusedHead = wasm.prepare(weights)
  const referenceHead = reference.prepare(weights)
  try {
    return { fused: fusedHead.run(input), typescript: referenceHead.run(input), tfjs: tfjsHead(weights, input) }
  } finally {
    fusedHead.dispose()
    referenceHead.dispose()
  }
}

describe('head kernels: wasm SIMD vs TypeScript reference vs tf.js ops', () => {
  // [batch, D, C, S, p, T]: D and C off multiples of 4 / 8, S with and without tails, B = 1 .. 33.
  const cases: [number, number, number, number, number, number][] = [
    [1, 1, 3, 1, 0.5, 1],
    [3, 13, 10, 4, 0.5, 1.3],
    [5, 37, 17, 7, 0.3, 0.7],
    [8, 64, 8, 32, 0.5, 2],
    [17, 130, 2, 64, 0.1, 1],
    [33, 29, 5, 7, 0.9, 1.7],
    [32, 256, 10, 32, 0.5, 1.5],
    [6, 96, 100, 32, 0.5, 1],
    [2, 7, 1, 4, 0.5, 1],
    [4, 5, 9, 64, 0.25, 0.5],
    [11, 16, 12, 0, 0.5, 1.2],
    [9, 20, 6, 5, 0, 1],
  ]
  it.each(cases)('agree for B = %i, D = %i, C = %i, S = %i, p = %f, T = %f', (batch, featureDim, classes, samples, dropoutRate, temperature) => {
    const { weights, features } = randomCase(batch * 1000 + featureDim * 10 + classes, batch, featureDim, classes)
    const input = { features, batch, dropoutRate, samples, seed: 0xdeadbeef - samples, temperature }
    const { fused, typescript, tfjs } = runAll(weights, input)
    expect(mismatches(typescript, tfjs, 'typescript vs tfjs')).toStrictEqual([])
    expect(mismatches(fused, typescript, 'wasm vs typescript')).toStrictEqual([])
    expect(mismatches(fused, tfjs, 'wasm vs tfjs')).toStrictEqual([])
    // properties on the fused kernel
    for (let i = 0; i < batch; i++) {
      let sum = 0
      for (let c = 0; c < classes; c++) sum += fused.probabilities[i * classes + c] as number
      expect(Math.abs(sum - 1)).toBeLessThan(1e-5)
      expect(fused.mutualInformation[i]).toBeGreaterThan(-1e-6)
      expect(fused.variance[i]).toBeGreaterThanOrEqual(0)
      expect(fused.variance[i]).toBeLessThanOrEqual(0.25)
    }
  })

  it('gives each item the same result alone as inside a batch (masks do not depend on position)', () => {
    const batch = 9
    const { weights, features } = randomCase(42, batch, 23, 11)
    for (const kernel of [wasm, reference]) {
      const head = kernel.prepare(weights)
      const options = { dropoutRate: 0.5, samples: 7, seed: 5, temperature: 1.1 }
      const together = head.run({ features, batch, ...options })
      for (const i of [0, 3, 8]) {
        const alone = head.run({ features: features.slice(i * 23, (i + 1) * 23), batch: 1, ...options })
        expect(Array.from(alone.probabilities)).toStrictEqual(Array.from(together.probabilities.subarray(i * 11, (i + 1) * 11)))
        expect(Array.from(alone.logits)).toStrictEqual(Array.from(together.logits.subarray(i * 11, (i + 1) * 11)))
        for (const key of ['predictiveEntropy', 'expectedEntropy', 'mutualInformation', 'variance'] as const) expect(alone[key][0]).toBe(together[key][i])
        expect(alone.scores.energy[0]).toBe(together.scores.energy[i])
      }
      head.dispose()
    }
  })

  it('stays finite and exact at extreme logits (|z| up to 1e4, T = 0.05)', () => {
    const featureDim = 6
    const classes = 5
    const weight = Float32Array.from({ length: featureDim * classes }, (_, j) => ((j % 7) - 3) * 40)
    const bias = new Float32Array([1e4, -1e4, 0, 9990, -50])
    const features = Float32Array.from({ length: 4 * featureDim }, (_, j) => (j % 5) / 4)
    const { fused, typescript, tfjs } = runAll({ weight, bias, featureDim, classes }, { features, batch: 4, dropoutRate: 0.5, samples: 9, seed: 3, temperature: 0.05 })
    for (const value of [...fused.probabilities, ...fused.predictiveEntropy, ...fused.variance, ...fused.scores.msp, ...fused.scores.energy, ...fused.scores.entropy]) {
      expect(Number.isFinite(value)).toBe(true)
    }
    expect(mismatches(fused, typescript, 'wasm vs typescript')).toStrictEqual([])
    expect(mismatches(typescript, tfjs, 'typescript vs tfjs')).toStrictEqual([])
  })
})
