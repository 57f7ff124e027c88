import { beforeAll, describe, expect, it } from 'vitest'
import { KernelError } from '../errors.js'
import { isKept } from '../masks/dropout-mask.js'
import type { HeadKernel } from './head-kernel.js'
import { readHeadKernelWasm } from './node/load-wasm-head-kernel.js'
import { createWasmHeadKernel } from './wasm-head-kernel.js'
import { instantiateHeadKernel } from './wasm-head-exports.js'
import { prepareWasmHead } from './wasm-prepared-head.js'
import { isWasmSimdSupported } from './wasm-simd-support.js'

// The wasm wrapper itself: one init per process, memory hygiene, bit-exact masks.

let bytes: Uint8Array<ArrayBuffer>
let kernel: HeadKernel
beforeAll(async () => {
  bytes = await readHeadKernelWasm()
  kernel = await createWasmHeadKernel(await WebAssembly.compile(bytes))
})

describe('createWasmHeadKernel', () => {
  it('detects SIMD support in this Node', () => {
    expect(isWasmSimdSupported()).toBe(true)
    expect(kernel.name).toBe('wasm-simd')
  })

  it('refuses a second init loudly, from a module or from bytes', async () => {
    await expect(createWasmHeadKernel(bytes)).rejects.toThrow(KernelError)
    await expect(createWasmHeadKernel(await WebAssembly.compile(bytes))).rejects.toThrow(/already initialised/)
  })

  it('rejects a module that is not head-kernel.wasm', async () => {
    const empty = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00])
    await expect(instantiateHeadKernel(empty)).rejects.toThrow(/export memory is missing/)
  })

  it('says to run npm run build when the file is missing', async () => {
    await expect(readHeadKernelWasm('/nonexistent/head-kernel.wasm')).rejects.toThrow(/npm run build/)
  })
})

describe('wasm head memory', () => {
  it('frees everything a run allocates: memory stays the same over many runs', async () => {
    const wasm = await instantiateHeadKernel(bytes)
    const head = prepareWasmHead(wasm, { weight: new Float32Array(64 * 10).fill(0.01), bias: new Float32Array(10), featureDim: 64, classes: 10 })
    const input = { features: new Float32Array(16 * 64).fill(0.5), batch: 16, dropoutRate: 0.5, samples: 32, seed: 1, temperature: 1 }
    head.run(input)
    const pages = wasm.memory.buffer.byteLength
    const first = head.run(input).probabilities
    for (let r = 0; r < 200; r++) head.run(input)
    expect(wasm.memory.buffer.byteLength).toBe(pages)
    expect(Array.from(head.run(input).probabilities)).toStrictEqual(Array.from(first))
    head.dispose()
  })

  it('gives the same results after a batch that grows memory (views are re-created)', async () => {
    const wasm = await instantiateHeadKernel(bytes)
    const featureDim = 48
    const weight = Float32Array.from({ length: featureDim * 3 }, (_, j) => Math.sin(j))
    const head = prepareWasmHead(wasm, { weight, bias: new Float32Array([0.1, 0, -0.1]), featureDim, classes: 3 })
    const options = { dropoutRate: 0.3, samples: 9, seed: 4, temperature: 1.2 }
    const item = Float32Array.from({ length: featureDim }, (_, d) => (d % 7) / 7)
    const alone = head.run({ features: item, batch: 1, ...options })
    const before = wasm.memory.buffer.byteLength
    const batch = 4000
    const features = new Float32Array(batch * featureDim)
    features.set(item, (batch - 1) * featureDim)
    const big = head.run({ features, batch, ...options })
    expect(wasm.memory.buffer.byteLength).toBeGreaterThan(before)
    expect(Array.from(big.probabilities.subarray(3 * (batch - 1)))).toStrictEqual(Array.from(alone.probabilities))
    expect(Array.from(head.run({ features: item, batch: 1, ...options }).probabilities)).toStrictEqual(Array.from(alone.probabilities))
    head.dispose()
  })
})

describe('wasm masks are bit-compatible with isKept', () => {
  it('keeps exactly the features isKept keeps in sample 0 (identity head, S = 1)', () => {
    const classes = 37
    const seed = 0x9e3779b9
    const weight = new Float32Array(classes * classes)
    for (let c = 0; c < classes; c++) weight[c * classes + c] = 8
    const head = kernel.prepare({ weight, bias: new Float32Array(classes), featureDim: classes, classes })
    const out = head.run({ features: new Float32Array(classes).fill(1), batch: 1, dropoutRate: 0.5, samples: 1, seed, temperature: 1 })
    const p = Array.from(out.probabilities)
    const threshold = (Math.max(...p) + Math.min(...p)) / 2
    expect(p.map((v) => v > threshold)).toStrictEqual(p.map((_, d) => isKept(seed, 0, d, 0.5)))
    head.dispose()
  })

  it('keeps each feature in as many of S = 7 samples as isKept does (one-hot items, 2 classes)', () => {
    const featureDim = 21
    const samples = 7
    const seed = 2024
    const weight = new Float32Array(featureDim * 2)
    for (let d = 0; d < featureDim; d++) weight[d * 2] = 50 // z_s = (50 * scale * kept, 0)
    const features = new Float32Array(featureDim * featureDim)
    for (let d = 0; d < featureDim; d++) features[d * featureDim + d] = 1
    const head = kernel.prepare({ weight, bias: new Float32Array(2), featureDim, classes: 2 })
    const out = head.run({ features, batch: featureDim, dropoutRate: 0.3, samples, seed, temperature: 1 })
    for (let d = 0; d < featureDim; d++) {
      // p_s[0] = 1 when kept, 1/2 when dropped: pbar_0 = (k + (S - k) / 2) / S
      const keptCount = Math.round(samples * (2 * (out.probabilities[2 * d] as number) - 1))
      let expected = 0
      for (let s = 0; s < samples; s++) if (isKept(seed, s, d, 0.3)) expected++
      expect(keptCount).toBe(expected)
    }
    head.dispose()
  })
})
