import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { writeBundle } from '../format/write-bundle.js'
import { MahalanobisAccumulator } from '../ood/mahalanobis/mahalanobis-accumulator.js'
import { nodePlatform } from '../platform/node-platform.js'
import { assembleBundle, type BundleContents } from './assemble-bundle.js'
import { serializeBackbone } from './backbone-artifacts.js'

/**
 * A tiny real model for SDK tests, written by our own bundle writer: 8 x 8 x 1 image input,
 * backbone flatten -> dense(D = 6, relu), head W [6, 3], b [3], p = 0.5, T_cal = 1.5,
 * Mahalanobis statistics fitted on generated features, thresholds for three scores, a
 * selective threshold of 0.6. Weights come from a fixed formula, so the expected outputs can be
 * recomputed by hand in plain JavaScript (see `referenceFeatures`).
 */
export const TEST_SHAPE = [8, 8, 1] as const
export const TEST_INPUT_SIZE = 64
export const TEST_FEATURES = 6
export const TEST_CLASSES = 3

/** Dense kernel [64, 6] and bias [6] of the backbone. */
export const denseKernel = Float32Array.from({ length: TEST_INPUT_SIZE * TEST_FEATURES }, (_, i) => Math.sin(i * 0.37) * 0.3)
export const denseBias = Float32Array.from({ length: TEST_FEATURES }, (_, i) => 0.05 * (i - 2))
/** Head W [6, 3] (feature-major) and b [3]. */
export const headWeight = Float32Array.from({ length: TEST_FEATURES * TEST_CLASSES }, (_, i) => Math.cos(i * 0.91) * 1.5)
export const headBias = Float32Array.from([0.1, -0.2, 0.05])

/** h = relu(x W1 + b1) for one flat input, in float64 (the expected backbone output). */
export function referenceFeatures(x: ArrayLike<number>): Float64Array {
  const h = new Float64Array(TEST_FEATURES)
  for (let d = 0; d < TEST_FEATURES; d++) {
    let sum = denseBias[d] as number
    for (let k = 0; k < TEST_INPUT_SIZE; k++) sum += (x[k] as number) * (denseKernel[k * TEST_FEATURES + d] as number)
    h[d] = Math.max(0, sum)
  }
  return h
}

/** Deterministic pseudo-random inputs in [0, 1): `count` items of 64 values. */
export function testInputs(count: number, seed = 1): Float32Array {
  let state = seed >>> 0
  return Float32Array.from({ length: count * TEST_INPUT_SIZE }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  })
}

/** Writes the test model's bundle with our writer; `overrides` replace manifest-level contents. */
export async function testBundle(overrides: Partial<BundleContents> = {}): Promise<Uint8Array> {
  await nodePlatform.initBackbone('wasm')
  const input = tfl.input({ shape: [...TEST_SHAPE] })
  const flat = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor
  const dense = tfl.layers.dense({ units: TEST_FEATURES, activation: 'relu', name: 'features' })
  const model = tfl.model({ inputs: input, outputs: dense.apply(flat) as tfl.SymbolicTensor })
  dense.setWeights([tf.tensor2d(denseKernel, [TEST_INPUT_SIZE, TEST_FEATURES]), tf.tensor1d(denseBias)])
  const backbone = await serializeBackbone(model)
  model.dispose()

  const accumulator = new MahalanobisAccumulator(TEST_FEATURES, TEST_CLASSES)
  const inputs = testInputs(90, 3)
  const features = new Float32Array(90 * TEST_FEATURES)
  for (let i = 0; i < 90; i++) features.set(referenceFeatures(inputs.subarray(i * 64, (i + 1) * 64)), i * TEST_FEATURES)
  accumulator.add(features, Array.from({ length: 90 }, (_, i) => i % TEST_CLASSES))

  return writeBundle(
    assembleBundle({
      id: 'test-model-20261122T000000Z-00000001',
      name: 'test-model',
      createdAt: '2026-11-22T00:00:00.000Z',
      labels: ['cat', 'dog', 'eel'],
      input: {
        shape: [...TEST_SHAPE],
        kind: 'image',
        image: { channels: 1, height: 8, width: 8, scale: 1 / 255, mean: [0], std: [1], invert: false, mnistCentering: false },
      },
      architecture: 'mlp',
      backbone,
      head: { weight: headWeight, bias: headBias, dropoutRate: 0.5 },
      calibration: { temperature: 1.5, atBound: null, fittedOn: 90 },
      ood: { score: 'mutual-information', thresholds: { 'mutual-information': 0.05, energy: -1.2, msp: 0.45, mahalanobis: 9 }, targetAcceptance: 0.95, samples: 16, seed: 0 },
      mahalanobis: accumulator.finish({ shrinkage: 0.2 }),
      selective: { targetRisk: 0.05, confidenceThreshold: 0.6, coverage: 0.7, risk: 0.04 },
      metrics: {},
      provenance: {
        method: 'sd-dropout',
        hyperParameters: { note: 'hand-set weights for SDK tests' },
        seed: 0,
        data: { name: 'generated', sha256: '0'.repeat(64), items: 90 },
        command: 'sdk/src/model/test-model.ts',
        toolVersion: '0.1.0',
        backend: 'wasm',
        parentId: null,
      },
      ...overrides,
    }),
  )
}
