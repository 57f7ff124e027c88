import { beforeAll, describe, expect, it } from 'vitest'
import { InputError, KernelError, OptionError, ShapeError } from '../errors.js'
import type { HeadGradient, HeadGradientInput, HeadGradientKernel, SdDropoutLossSettings } from './head-gradient-kernel.js'
import { nodeHeadGradientKernel } from './node/load-wasm-head-gradient-kernel.js'
import { createTypeScriptHeadGradientKernel } from './typescript-head-gradient-kernel.js'

// The wasm SIMD gradient kernel against the TypeScript reference (float64) on the same inputs.
// Tolerance: the kernel accumulates in float32 (D-term dot products, then B-item sums of h g) and
// uses a polynomial exp (~1e-7 relative); float32 rounding of a sum of n terms of size s is about
// n * 6e-8 * s in the worst case, so for D <= 260, B <= 33 and O(1) logits we allow
// |wasm - reference| <= 1e-5 + 1e-4 |reference| for gradients and loss terms.

let wasm: HeadGradientKernel
const reference = createTypeScriptHeadGradientKernel()

beforeAll(async () => {
  wasm = await nodeHeadGradientKernel('wasm-simd')
})

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

function randomCase(seed: number, items: number, d: number, c: number, batch: number, loss: SdDropoutLossSettings): HeadGradientInput {
  const next = random(seed)
  const scale = 3 / Math.sqrt(d)
  return {
    weight: Float32Array.from({ length: d * c }, () => (next() * 2 - 1) * scale),
    bias: Float32Array.from({ length: c }, () => next() - 0.5),
    features: Float32Array.from({ length: items * d }, () => (next() < 0.3 ? 0 : next() * 2)),
    labels: Int32Array.from({ length: items }, () => Math.floor(next() * c)),
    examples: Int32Array.from({ length: batch }, () => Math.floor(next() * items)),
    loss,
  }
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-5 + 1e-4 * Math.abs(b)

function expectParity(actual: HeadGradient, expected: HeadGradient): void {
  for (const key of ['loss', 'crossEntropy', 'distillation'] as const) expect(close(actual[key], expected[key]), `${key}: ${actual[key]} vs ${expected[key]}`).toBe(true)
  expect(actual.correct).toBe(expected.correct)
  const mismatches = (a: ArrayLike<number>, b: ArrayLike<number>): number[] => Array.from(b, (v, k) => k).filter((k) => !close(a[k] as number, b[k] as number))
  expect(mismatches(actual.weightGradient, expected.weightGradient)).toStrictEqual([])
  expect(mismatches(actual.biasGradient, expected.biasGradient)).toStrictEqual([])
}

const LOSSES: readonly [string, SdDropoutLossSettings][] = [
  ['through both sides', { dropoutRate: 0.5, temperature: 3, lambda: 1, detach: false, maskSeed: 7 }],
  ['detached targets', { dropoutRate: 0.3, temperature: 2, lambda: 0.5, detach: true, maskSeed: 8 }],
  ['lambda = 0', { dropoutRate: 0.5, temperature: 3, lambda: 0, detach: false, maskSeed: 9 }],
  ['p = 0.9, tau = 1', { dropoutRate: 0.9, temperature: 1, lambda: 2, detach: false, maskSeed: 0xffffffff }],
]

// D, C, N, B: odd and even class tails (C mod 8 = 1..7), D not a multiple of 4, a batch of one.
const SHAPES: readonly [number, number, number, number][] = [
  [5, 3, 7, 4],
  [7, 2, 9, 1],
  [128, 10, 40, 32],
  [130, 17, 50, 33],
  [64, 12, 20, 16],
  [259, 8, 12, 9],
]

describe.each(LOSSES)('wasm gradient kernel matches the TypeScript reference: %s', (_, loss) => {
  it.each(SHAPES)('D = %i, C = %i, N = %i, B = %i', (d, c, items, batch) => {
    const input = randomCase(d * 31 + c, items, d, c, batch, loss)
    const shape = { featureDim: d, classes: c, maxBatch: 40 }
    const fast = wasm.prepare(shape)
    try {
      expectParity(fast.gradient(input), reference.prepare(shape).gradient(input))
    } finally {
      fast.dispose()
    }
  })
})

describe('wasm gradient kernel', () => {
  it('gives the same result for an example wherever it sits in the batch, and repeats exactly', () => {
    const loss = LOSSES[0]?.[1] as SdDropoutLossSettings
    const input = randomCase(3, 10, 20, 5, 1, loss)
    const workspace = wasm.prepare({ featureDim: 20, classes: 5, maxBatch: 8 })
    const alone = workspace.gradient({ ...input, examples: Int32Array.of(4) })
    const twice = workspace.gradient({ ...input, examples: Int32Array.of(4, 4) })
    expect(Array.from(twice.weightGradient)).toStrictEqual(Array.from(alone.weightGradient))
    expect(workspace.gradient({ ...input, examples: Int32Array.of(4) })).toStrictEqual(alone)
    workspace.dispose()
  })

  it('keeps its memory flat over many steps and refuses bad input with typed errors', () => {
    const loss = LOSSES[0]?.[1] as SdDropoutLossSettings
    const input = randomCase(4, 30, 16, 4, 8, loss)
    const workspace = wasm.prepare({ featureDim: 16, classes: 4, maxBatch: 8 })
    workspace.gradient(input)
    const bytes = wasm.memoryBytes()
    for (let k = 0; k < 2000; k++) workspace.gradient(input)
    expect(wasm.memoryBytes()).toBe(bytes)
    expect(() => workspace.gradient({ ...input, examples: new Int32Array(9) })).toThrow(ShapeError)
    expect(() => workspace.gradient({ ...input, examples: new Int32Array(0) })).toThrow(InputError)
    expect(() => workspace.gradient({ ...input, examples: Int32Array.of(30) })).toThrow(/example 30 is outside \[0, 30\)/)
    expect(() => workspace.gradient({ ...input, labels: new Int32Array(30).fill(4) })).toThrow(/label 4 is outside \[0, 4\)/)
    expect(() => workspace.gradient({ ...input, weight: new Float32Array(3) })).toThrow(ShapeError)
    expect(() => workspace.gradient({ ...input, loss: { ...loss, lambda: -1 } })).toThrow(OptionError)
    expect(() => workspace.gradient({ ...input, loss: { ...loss, dropoutRate: 1 } })).toThrow(OptionError)
    expect(() => wasm.prepare({ featureDim: 0, classes: 4, maxBatch: 8 })).toThrow(ShapeError)
    workspace.dispose()
    workspace.dispose()
    expect(() => workspace.gradient(input)).toThrow(KernelError)
  })

  it('is initialised once per process', async () => {
    const { createWasmHeadGradientKernel } = await import('./wasm-head-gradient-kernel.js')
    await expect(createWasmHeadGradientKernel(new Uint8Array(8))).rejects.toThrow(/already initialised/)
    expect(await nodeHeadGradientKernel('auto')).toBe(wasm)
    expect((await nodeHeadGradientKernel('typescript')).name).toBe('typescript')
  })
})
