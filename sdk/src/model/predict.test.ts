import { encode as encodePng } from 'fast-png'
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError, KernelError, OptionError, ShapeError } from '../errors.js'
import { dropoutMask } from '../masks/dropout-mask.js'
import { loadModel } from '../node.js'
import { summarizeDeterministic, summarizeSamples } from '../uncertainty/summarize-samples.js'
import type { SdModel } from './sd-model.js'
import { headBias, headWeight, referenceFeatures, TEST_CLASSES, TEST_FEATURES, TEST_INPUT_SIZE, testBundle, testInputs } from './test-model.js'

const tolerance = (expected: number): number => 1e-5 + 1e-5 * Math.abs(expected)

/** Expected head output for one item, from the reference math and the shared masks. */
function expected(x: ArrayLike<number>, samples: number, seed: number, temperature = 1.5) {
  const h = referenceFeatures(x)
  const logitsOf = (mask: ArrayLike<number> | null): number[] =>
    Array.from({ length: TEST_CLASSES }, (_, c) => {
      let z = headBias[c] as number
      for (let d = 0; d < TEST_FEATURES; d++) z += (h[d] as number) * (mask === null ? 1 : (mask[d] as number)) * (headWeight[d * TEST_CLASSES + c] as number)
      return z
    })
  if (samples === 0) return summarizeDeterministic(logitsOf(null), temperature)
  const all: number[] = []
  for (let s = 0; s < samples; s++) all.push(...logitsOf(dropoutMask(seed, s, TEST_FEATURES, 0.5)))
  return summarizeSamples(all, samples, TEST_CLASSES, temperature)
}

describe.each(['wasm-simd', 'typescript'] as const)('loadModel + predict with the %s head kernel', (kernel) => {
  let model: SdModel
  beforeAll(async () => {
    model = await loadModel(await testBundle(), { kernel })
  })
  afterAll(() => model.dispose())

  it('reports its runtime and info', () => {
    expect(model.runtime).toMatchObject({ backbone: 'wasm-simd', head: kernel })
    expect(model.info.labels).toStrictEqual(['cat', 'dog', 'eel'])
    expect(model.info.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(model.info.ood.samples).toBe(16)
  })

  it('matches the reference math for MC-dropout predictions (default S = 16, seed 0)', async () => {
    const inputs = testInputs(5)
    const results = await model.predict(inputs)
    results.forEach((result, i) => {
      const want = expected(inputs.subarray(i * TEST_INPUT_SIZE, (i + 1) * TEST_INPUT_SIZE), 16, 0)
      result.probabilities.forEach((p, c) => expect(Math.abs(p - (want.probabilities[c] as number))).toBeLessThan(tolerance(want.probabilities[c] as number)))
      expect(result.classIndex).toBe(want.label)
      expect(result.label).toBe(['cat', 'dog', 'eel'][want.label])
      expect(Math.abs(result.uncertainty.predictiveEntropy - want.predictiveEntropy)).toBeLessThan(tolerance(want.predictiveEntropy))
      expect(Math.abs(result.uncertainty.expectedEntropy - want.expectedEntropy)).toBeLessThan(tolerance(want.expectedEntropy))
      expect(Math.abs(result.uncertainty.mutualInformation - want.mutualInformation)).toBeLessThan(tolerance(want.mutualInformation))
      expect(Math.abs(result.uncertainty.variance - want.variance)).toBeLessThan(tolerance(want.variance))
      expect(result.ood.method).toBe('mutual-information')
      expect(result.ood.score).toBeCloseTo(result.uncertainty.mutualInformation, 6)
      expect(result.ood.threshold).toBe(0.05)
      expect(result.ood.isOutOfDistribution).toBe(result.ood.score > 0.05)
      expect(result.abstain).toBe(result.confidence < 0.6)
    })
  })

  it('gives the deterministic prediction with samples: 0, and honours seed and samples', async () => {
    const inputs = testInputs(3, 9)
    const [first] = await model.predict(inputs.subarray(0, TEST_INPUT_SIZE), { samples: 0, oodScore: 'energy' })
    const want = expected(inputs.subarray(0, TEST_INPUT_SIZE), 0, 0)
    expect(first?.uncertainty.mutualInformation).toBe(0)
    expect(first?.uncertainty.variance).toBe(0)
    expect(Math.abs((first?.probabilities[0] ?? 0) - (want.probabilities[0] as number))).toBeLessThan(1e-5)
    const seven = await model.predict(inputs, { samples: 7, seed: 99 })
    const again = await model.predict(inputs, { samples: 7, seed: 99 })
    expect(seven).toStrictEqual(again)
    const want7 = expected(inputs.subarray(TEST_INPUT_SIZE, 2 * TEST_INPUT_SIZE), 7, 99)
    expect(Math.abs((seven[1]?.uncertainty.mutualInformation ?? 0) - want7.mutualInformation)).toBeLessThan(tolerance(want7.mutualInformation))
  })

  it('gives each item the same result alone or anywhere in a batch', async () => {
    const inputs = testInputs(9, 4)
    const batch = await model.predict(inputs)
    for (const i of [0, 4, 8]) {
      const [alone] = await model.predict(inputs.slice(i * TEST_INPUT_SIZE, (i + 1) * TEST_INPUT_SIZE))
      expect(alone).toStrictEqual(batch[i])
    }
  })

  it('accepts Float32Array, number[][], a tensor and PNG images with the same results', async () => {
    const inputs = testInputs(2, 5).map((v) => Math.round(v * 255) / 255)
    const rows = [Array.from(inputs.subarray(0, 64)), Array.from(inputs.subarray(64))]
    const fromFloat = await model.predict(inputs)
    expect(await model.predict(rows)).toStrictEqual(fromFloat)
    const tensor = tf.tensor4d(inputs, [2, 8, 8, 1])
    expect(await model.predict(tensor)).toStrictEqual(fromFloat)
    tensor.dispose()
    const pngs = rows.map((row) => encodePng({ width: 8, height: 8, channels: 1, depth: 8, data: Uint8Array.from(row, (v) => Math.round(v * 255)) }))
    const fromImages = await model.predict(pngs)
    fromImages.forEach((r, i) => r.probabilities.forEach((p, c) => expect(p).toBeCloseTo(fromFloat[i]?.probabilities[c] ?? -1, 6)))
    expect((await model.predict(pngs[0] as Uint8Array))[0]?.label).toBe(fromImages[0]?.label)
  })

  it('computes every OOD score on request, mahalanobis from the bundle statistics', async () => {
    const inputs = testInputs(2, 6)
    for (const oodScore of ['msp', 'max-logit', 'energy', 'entropy', 'mc-entropy', 'mutual-information', 'mahalanobis'] as const) {
      const [r] = await model.predict(inputs.subarray(0, 64), { oodScore })
      expect(r?.ood.method).toBe(oodScore)
      expect(Number.isFinite(r?.ood.score)).toBe(true)
    }
    const [m] = await model.predict(inputs.subarray(0, 64), { oodScore: 'mahalanobis' })
    expect(m?.ood.threshold).toBe(9)
    const [noThreshold] = await model.predict(inputs.subarray(0, 64), { oodScore: 'max-logit' })
    expect(noThreshold?.ood).toMatchObject({ threshold: null, isOutOfDistribution: false })
  })

  it('raises typed errors that say what was expected and what came', async () => {
    await expect(model.predict(new Float32Array(63))).rejects.toThrow(ShapeError)
    await expect(model.predict(new Float32Array(63))).rejects.toThrow(/B x 64 values.*received 63 values/)
    await expect(model.predict(new Float32Array(0))).rejects.toThrow(ShapeError)
    await expect(model.predict([])).rejects.toThrow(/empty/)
    await expect(model.predict(Float32Array.from({ length: 64 }, (_, i) => (i === 5 ? Number.NaN : 0)))).rejects.toThrow(/item 0, value 5: expected a finite number, received NaN/)
    await expect(model.predict(new Float32Array(64).fill(Infinity))).rejects.toThrow(InputError)
    await expect(model.predict(new Float64Array(64) as unknown as Float32Array)).rejects.toThrow(/received Float64Array/)
    await expect(model.predict([[1, 2, 3]])).rejects.toThrow(ShapeError)
    await expect(model.predict(new Uint8Array([1, 2, 3, 4]))).rejects.toThrow(/not a PNG or JPEG/)
    await expect(model.predict(tf.zeros([1, 8, 8, 1], 'int32'))).rejects.toThrow(/dtype float32, received int32/)
    await expect(model.predict(new Float32Array(64), { samples: 1 })).rejects.toThrow(OptionError)
    await expect(model.predict(new Float32Array(64), { samples: 0, oodScore: 'mc-entropy' })).rejects.toThrow(/needs samples >= 2/)
    await expect(model.predict(new Float32Array(64), { samples: -1 })).rejects.toThrow(OptionError)
    await expect(model.predict(new Float32Array(64), { seed: 2 ** 32 })).rejects.toThrow(OptionError)
    await expect(model.predict(new Float32Array(64), { samples: 4, bogus: 1 } as never)).rejects.toThrow(/option bogus: unknown option/)
  })
})

describe('loadModel limits and lifecycle', () => {
  it('caps the batch and decoded pixels', async () => {
    const model = await loadModel(await testBundle(), { maxBatch: 2, maxPixels: 60 })
    await expect(model.predict(testInputs(3))).rejects.toThrow(/batch of 3 items is over the limit of 2/)
    const png = encodePng({ width: 8, height: 8, channels: 1, depth: 8, data: new Uint8Array(64) })
    await expect(model.predict(png)).rejects.toThrow(/above the limit of 60/)
    model.dispose()
    await expect(model.predict(testInputs(1))).rejects.toThrow(KernelError)
  })

  it('rejects unknown load options and unreadable sources with typed errors', async () => {
    await expect(loadModel(await testBundle(), { bogus: true } as never)).rejects.toThrow(OptionError)
    await expect(loadModel('/nonexistent/model.sdd')).rejects.toThrow(/cannot read bundle file \/nonexistent\/model.sdd: ENOENT/)
  })

  it('leaves tfjs memory and kernel memory flat over 10,000 predict calls', async () => {
    const model = await loadModel(await testBundle())
    const input = testInputs(1, 8)
    await model.predict(input)
    const before = tf.memory().numTensors
    const bytesBefore = tf.memory().numBytes
    const kernelBytes = model.runtime.headMemoryBytes()
    expect(model.runtime.head).toBe('wasm-simd')
    expect(kernelBytes).toBeGreaterThan(0)
    for (let i = 0; i < 10_000; i++) await model.predict(input, { samples: 4 })
    expect(tf.memory().numTensors).toBe(before)
    expect(tf.memory().numBytes).toBe(bytesBefore)
    expect(model.runtime.headMemoryBytes()).toBe(kernelBytes)
    model.dispose()
  })
})

describe('defaults and sharing', () => {
  it('defaults the mask seed to the one the bundle thresholds were fitted with', async () => {
    const model = await loadModel(await testBundle({ ood: { score: 'mutual-information', thresholds: { 'mutual-information': 0.05 }, targetAcceptance: 0.95, samples: 8, seed: 5 } }))
    const inputs = testInputs(3, 12)
    expect(await model.predict(inputs)).toStrictEqual(await model.predict(inputs, { seed: 5 }))
    expect(await model.predict(inputs)).not.toStrictEqual(await model.predict(inputs, { seed: 0 }))
    model.dispose()
  })

  it('runs the raw head at samples 0 even when the default OOD score is an MC score', async () => {
    const model = await loadModel(await testBundle())
    const { features, batch } = await model.features(testInputs(2))
    const out = model.head(features, batch, { samples: 0 })
    expect(out.scores['mutual-information']).toBeNull()
    expect(out.mutualInformation[0]).toBe(0)
    model.dispose()
  })

  it('shares one wasm head kernel between loadWasmHeadKernel and loadModel in a process', async () => {
    const { loadWasmHeadKernel } = await import('../node.js')
    const first = await loadWasmHeadKernel()
    expect(await loadWasmHeadKernel()).toBe(first)
    const model = await loadModel(await testBundle(), { kernel: 'wasm-simd' })
    expect(model.runtime.head).toBe('wasm-simd')
    model.dispose()
  })
})
