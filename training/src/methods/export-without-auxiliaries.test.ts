import { assembleBundle, loadModel, readBundle, serializeBackbone, writeBundle } from '@sd-dropout/sdk'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend/select-backend.js'
import { subset } from '../data/dataset.js'
import { imageInputSpec } from '../data/input-spec.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { trainedBundleContents } from '../export/export-bundle.js'
import { featureModel } from '../export/feature-model.js'
import { fitTrainedModel } from '../export/fit-trained-model.js'
import type { TrainConfig } from '../loop/train-config.js'
import { trainLoop } from '../loop/train-loop.js'
import { createTrainingSession } from '../loop/training-session.js'
import { buildBackbone } from '../models/build-backbone.js'
import { forwardFeatures } from '../models/forward-features.js'

// Every method trains a tiny CNN, exports, and the bundle loads and predicts through the SDK's
// `loadModel` with exactly the plain backbone's weights: no self-teacher, no auxiliary classifier,
// nothing but the backbone up to h and the head.

const split = loadMnistSplit()
const train = subset(split.train, Array.from({ length: 64 }, (_, i) => i), 'train/64')
const validation = subset(split.validation, Array.from({ length: 40 }, (_, i) => i), 'validation/40')
const model = { architecture: 'cnn', width: 2 } as const
const config = (method: string): TrainConfig => ({
  model,
  method,
  sd: { rate: 0.2, temperature: 1, weight: 0.1, detach: false, samples: 2 },
  peers: { frskd: { depth: 1 } },
  epochs: 1,
  batchSize: 32,
  seed: 4,
  optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 },
  learningRate: 0.01,
  schedule: { kind: 'cosine', minimum: 0 },
  warmupEpochs: 0,
  augment: 'none',
})
const description = (method: string) => ({
  name: 'tiny',
  labels: Array.from({ length: 10 }, (_, c) => String(c)),
  architecture: 'cnn',
  oodScore: 'mahalanobis' as const,
  targetAcceptance: 0.95,
  input: imageInputSpec([28, 28, 1], null, true),
  provenance: { method, hyperParameters: {}, seed: 4, data: { name: 'train/64', sha256: '0'.repeat(64), items: 64 }, command: 'test', toolVersion: '0', backend: 'wasm', parentId: null },
})

let plainSpecs: { name: string; shape: number[] }[]

beforeAll(async () => {
  await selectBackend('wasm')
  const plain = buildBackbone(model, train.itemShape, 99)
  plainSpecs = (await serializeBackbone(featureModel(plain))).weightSpecs.map(({ name, shape }) => ({ name, shape: [...shape] }))
  plain.model.dispose()
})

describe('exported bundles of every method', () => {
  it.each(['ce', 'sd-dropout', 'ps-kd', 'ps-kd+sd-dropout', 'frskd', 'frskd+sd-dropout', 'lsskd', 'lsskd+sd-dropout'])(
    '%s: loads and predicts in the SDK, with the plain backbone\'s weights only',
    async (method) => {
      const session = createTrainingSession(config(method), train.itemShape, 10)
      try {
        await trainLoop(session, { train })
        const trained = await fitTrainedModel(session, train, validation, { samples: 4, seed: 0, targetAcceptance: 0.95, targetRisk: 0.05, dropoutRate: 0.2 })
        const bytes = await writeBundle(assembleBundle(await trainedBundleContents(trained, description(method), { validation: trained.fit.metrics })))
        const bundle = await readBundle(bytes)
        expect(bundle.manifest.backbone.weightSpecs.map(({ name, shape }) => ({ name, shape: [...shape] }))).toStrictEqual(plainSpecs)
        expect(bundle.manifest.head).toMatchObject({ inputDim: 8, classes: 10, dropoutRate: 0.2 })
        const plainValues = plainSpecs.reduce((sum, { shape }) => sum + shape.reduce((a, b) => a * b, 1), 0)
        expect(bundle.part(bundle.manifest.backbone.weightsPart).length).toBe(4 * plainValues)
        expect(bundle.partNames.filter((name) => /frskd|lsskd|teacher|auxiliary|joint/.test(name))).toStrictEqual([])
        const served = await loadModel(bytes, { backbone: 'current', kernel: 'typescript' })
        try {
          const predictions = await served.predict(validation.images.subarray(0, 5 * 784), { samples: 4, seed: 0 })
          expect(predictions).toHaveLength(5)
          for (const prediction of predictions) expect(prediction.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
          const { features } = await served.features(validation.images.subarray(0, 5 * 784))
          expect(Array.from(features)).toStrictEqual(Array.from(forwardFeatures(trained.backbone, validation.images.subarray(0, 5 * 784), 5, validation.itemShape)))
        } finally {
          served.dispose()
        }
        if (method.startsWith('frskd') || method.startsWith('lsskd')) expect(session.variables.some(({ name }) => name.startsWith('method/'))).toBe(true)
      } finally {
        session.dispose()
      }
    },
  )
})
