import { beforeAll, describe, expect, it } from 'vitest'
import { InputError, KernelError, OptionError, ShapeError } from '../errors.js'
import { isKept } from '../masks/dropout-mask.js'
import { entropy } from '../math/entropy.js'
import { softmax } from '../math/softmax.js'
import { summarizeDeterministic } from '../uncertainty/summarize-samples.js'
import type { HeadKernel, HeadRunInput, HeadWeights } from './head-kernel.js'
import { loadWasmHeadKernel } from './node/load-wasm-head-kernel.js'
import { createTypeScriptHeadKernel } from './typescript-head-kernel.js'

// The contract every HeadKernel meets, run against both implementations: hand-computed values,
// the S = 0 / p = 0 / C = 1 cases, input validation and dispose.

const kernels: Record<string, HeadKernel> = { typescript: createTypeScriptHeadKernel() }
beforeAll(async () => {
  kernels['wasm-simd'] = await loadWasmHeadKernel()
})

function close(actual: number, expected: number, tolerance = 1e-6): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance + tolerance * Math.abs(expected))
}

/** D = 2, C = 2, W = I, b = (0.5, 0): z0 = h + b. */
const identity: HeadWeights = { weight: new Float32Array([1, 0, 0, 1]), bias: new Float32Array([0.5, 0]), featureDim: 2, classes: 2 }
const base: HeadRunInput = { features: new Float32Array([1, 0.25]), batch: 1, dropoutRate: 0.5, samples: 0, seed: 11, temperature: 1 }

describe.each(['typescript', 'wasm-simd'])('HeadKernel contract: %s', (name) => {
  const kernel = (): HeadKernel => kernels[name] as HeadKernel

  it('has its name', () => {
    expect(kernel().name).toBe(name)
  })

  it('gives hand-computed logits, probabilities and scores with S = 0', () => {
    const out = kernel().prepare(identity).run({ ...base, temperature: 2 })
    // z0 = (1.5, 0.25); softmax(z0 / 2) = softmax(0.75, 0.125)
    expect(Array.from(out.logits)).toStrictEqual([1.5, 0.25])
    const p = softmax([0.75, 0.125])
    close(out.probabilities[0] as number, p[0] as number)
    close(out.probabilities[1] as number, p[1] as number)
    close(out.scores.msp[0] as number, 1 - (p[0] as number))
    expect(out.scores['max-logit'][0]).toBe(-1.5)
    close(out.scores.energy[0] as number, -Math.log(Math.exp(1.5) + Math.exp(0.25)))
    close(out.scores.entropy[0] as number, entropy(p))
    close(out.predictiveEntropy[0] as number, entropy(p))
    expect(out.expectedEntropy[0]).toBe(out.predictiveEntropy[0])
    expect([out.mutualInformation[0], out.variance[0]]).toStrictEqual([0, 0])
    expect([out.scores['mc-entropy'], out.scores['mutual-information']]).toStrictEqual([null, null])
  })

  it('gives hand-computed MC statistics from the shared masks (S = 3, p = 0.5)', () => {
    const seed = 11
    const out = kernel().prepare(identity).run({ ...base, samples: 3, seed })
    // sample s keeps feature d with scale 2: z_s = (0.5 + 2 k_s0, 2 * 0.25 * k_s1)
    const perSample = [0, 1, 2].map((s) => softmax([0.5 + (isKept(seed, s, 0, 0.5) ? 2 : 0), isKept(seed, s, 1, 0.5) ? 0.5 : 0]))
    const mean = [0, 1].map((j) => perSample.reduce((sum, p) => sum + (p[j] as number), 0) / 3)
    const label = (mean[0] as number) >= (mean[1] as number) ? 0 : 1
    const top = perSample.map((p) => p[label] as number)
    const topMean = top.reduce((a, b) => a + b, 0) / 3
    const expected = perSample.reduce((sum, p) => sum + entropy(p), 0) / 3
    close(out.probabilities[0] as number, mean[0] as number)
    close(out.predictiveEntropy[0] as number, entropy(mean))
    close(out.expectedEntropy[0] as number, expected)
    close(out.mutualInformation[0] as number, entropy(mean) - expected)
    close(out.variance[0] as number, top.reduce((sum, v) => sum + (v - topMean) ** 2, 0) / 3)
    expect(out.scores['mc-entropy']?.[0]).toBe(out.predictiveEntropy[0])
    expect(out.scores['mutual-information']?.[0]).toBe(out.mutualInformation[0])
    expect(Array.from(out.logits)).toStrictEqual([1.5, 0.25]) // z0 has no dropout
  })

  it('with p = 0 every sample is z0: probabilities = softmax(z0 / T), MI = variance = 0', () => {
    const features = new Float32Array([0.3, 2, -1, 0.7])
    const out = kernel().prepare(identity).run({ ...base, features, batch: 2, dropoutRate: 0, samples: 6, temperature: 0.8 })
    for (let i = 0; i < 2; i++) {
      const reference = summarizeDeterministic(out.logits.subarray(2 * i, 2 * i + 2), 0.8)
      close(out.probabilities[2 * i] as number, reference.probabilities[0] as number)
      close(out.predictiveEntropy[i] as number, reference.predictiveEntropy)
      close(out.mutualInformation[i] as number, 0, 1e-6)
      close(out.variance[i] as number, 0, 1e-6)
    }
  })

  it('handles C = 1: probability 1, zero entropies, msp 0, energy = max-logit = -z0', () => {
    const head = kernel().prepare({ weight: new Float32Array([2, -1, 0.5]), bias: new Float32Array([0.25]), featureDim: 3, classes: 1 })
    const out = head.run({ ...base, features: new Float32Array([1, 1, 1, 0, 2, 4]), batch: 2, samples: 5 })
    expect(Array.from(out.logits)).toStrictEqual([1.75, 0.25])
    expect(Array.from(out.probabilities)).toStrictEqual([1, 1])
    for (let i = 0; i < 2; i++) {
      for (const value of [out.predictiveEntropy[i], out.expectedEntropy[i], out.variance[i], out.scores.msp[i], out.scores.entropy[i]]) close(value as number, 0)
      expect(out.scores.energy[i]).toBe(-(out.logits[i] as number))
      expect(out.scores['max-logit'][i]).toBe(-(out.logits[i] as number))
    }
  })

  it('copies the weights at prepare (later changes to the caller arrays do not leak in)', () => {
    const weight = new Float32Array([1, 0, 0, 1])
    const head = kernel().prepare({ ...identity, weight })
    weight.fill(100)
    expect(Array.from(head.run(base).logits)).toStrictEqual([1.5, 0.25])
  })

  it('rejects malformed heads and inputs with typed errors', () => {
    expect(() => kernel().prepare({ ...identity, weight: new Float32Array(3) })).toThrow(ShapeError)
    expect(() => kernel().prepare({ ...identity, bias: new Float32Array(3) })).toThrow(ShapeError)
    expect(() => kernel().prepare({ ...identity, featureDim: 0, weight: new Float32Array(0) })).toThrow(ShapeError)
    expect(() => kernel().prepare({ ...identity, bias: new Float32Array([0, Number.NaN]) })).toThrow(InputError)
    const head = kernel().prepare(identity)
    expect(() => head.run({ ...base, features: new Float32Array(3) })).toThrow(ShapeError)
    expect(() => head.run({ ...base, batch: 1.5 })).toThrow(ShapeError)
    expect(() => head.run({ ...base, features: new Float32Array(0), batch: 0 })).toThrow(InputError)
    expect(() => head.run({ ...base, features: new Float32Array([1, Number.POSITIVE_INFINITY]) })).toThrow(InputError)
    for (const samples of [-1, 1.5, Number.NaN]) expect(() => head.run({ ...base, samples })).toThrow(OptionError)
    for (const seed of [-1, 2 ** 32, 0.5]) expect(() => head.run({ ...base, seed })).toThrow(OptionError)
    for (const dropoutRate of [1, -0.1, Number.NaN]) expect(() => head.run({ ...base, dropoutRate })).toThrow(OptionError)
    for (const temperature of [0, -1, Number.POSITIVE_INFINITY]) expect(() => head.run({ ...base, temperature })).toThrow(OptionError)
  })

  it('accepts the largest seed and refuses to run after dispose (dispose is idempotent)', () => {
    const head = kernel().prepare(identity)
    const out = head.run({ ...base, samples: 2, seed: 0xffffffff })
    close((out.probabilities[0] as number) + (out.probabilities[1] as number), 1)
    head.dispose()
    head.dispose()
    expect(() => head.run(base)).toThrow(KernelError)
  })
})
