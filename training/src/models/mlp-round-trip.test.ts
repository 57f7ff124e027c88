import { assembleBundle, writeBundle } from '@sd-dropout/sdk'
import { beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend/select-backend.js'
import { subset } from '../data/dataset.js'
import { imageInputSpec } from '../data/input-spec.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { openBundleModel } from '../evaluate/open-bundle-model.js'
import { trainedBundleContents } from '../export/export-bundle.js'
import { fitTrainedModel } from '../export/fit-trained-model.js'
import type { TrainConfig } from '../loop/train-config.js'
import { trainLoop } from '../loop/train-loop.js'
import { trainStep } from '../loop/train-step.js'
import { createTrainingSession } from '../loop/training-session.js'
import { forwardFeatures } from './forward-features.js'

// `sd-dropout train --model mlp` end to end, in one process, for MLPs of 1 to 3 hidden layers (h
// is the last layer, the others are stage outputs): train, fit, export, load the bundle through the
// SDK on the training backend, then train another MLP whose layers carry the same names. Every
// step must run, and the SDK's features must be the trained backbone's, bit for bit.

const split = loadMnistSplit()
const train = subset(split.train, Array.from({ length: 120 }, (_, i) => i), 'train/120')
const validation = subset(split.validation, Array.from({ length: 60 }, (_, i) => i), 'validation/60')
const config = (hidden: number[]): TrainConfig => ({
  model: { architecture: 'mlp', hidden },
  method: 'sd-dropout',
  sd: { rate: 0.2, temperature: 1, weight: 0.1, detach: false, samples: 2 },
  epochs: 2,
  batchSize: 32,
  seed: 1,
  optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 },
  learningRate: 0.01,
  schedule: { kind: 'cosine', minimum: 0 },
  warmupEpochs: 0,
  augment: 'shift',
})
const description = {
  name: 'mlp',
  labels: Array.from({ length: 10 }, (_, c) => String(c)),
  architecture: 'mlp',
  oodScore: 'mahalanobis' as const,
  targetAcceptance: 0.95,
  input: imageInputSpec([28, 28, 1], null, true),
  provenance: { method: 'sd-dropout', hyperParameters: {}, seed: 1, data: { name: 'train/120', sha256: '0'.repeat(64), items: 120 }, command: 'test', toolVersion: '0', backend: 'wasm', parentId: null },
}

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('sd-dropout train --model mlp, in one process', () => {
  it.each([[[24]], [[32, 16]], [[32, 24, 16]], [[32, 16]]])('hidden %j: trains, exports, serves the trained features through the SDK', async (hidden) => {
    const session = createTrainingSession(config(hidden), train.itemShape, 10)
    try {
      const result = await trainLoop(session, { train, validation })
      expect(result.history.map((epoch) => Number.isFinite(epoch.loss))).toStrictEqual([true, true])
      const trained = await fitTrainedModel(session, train, validation, { samples: 4, seed: 0, targetAcceptance: 0.95, targetRisk: 0.05, dropoutRate: 0.2 })
      const bytes = await writeBundle(assembleBundle(await trainedBundleContents(trained, description, { validation: trained.fit.metrics })))
      const model = await openBundleModel(bytes)
      try {
        const served = await model.features(validation.images)
        expect(served.batch).toBe(60)
        expect(Array.from(served.features)).toStrictEqual(Array.from(forwardFeatures(trained.backbone, validation.images, validation.count, validation.itemShape)))
        expect(model.info.featureDim).toBe(hidden[hidden.length - 1])
      } finally {
        model.dispose()
      }
      // the session still trains after the SDK loaded a model whose layers carry the same names
      const batch = { images: train.images.subarray(0, 32 * 784), labels: train.labels.subarray(0, 32), indices: Int32Array.from({ length: 32 }, (_, i) => i) }
      const step = trainStep(session, batch, { step: 8, epoch: 2, epochs: 3 }, 0.001)
      expect(Number.isFinite(step.loss)).toBe(true)
      expect(Object.keys(step.terms)).toStrictEqual(['ce', 'sd'])
    } finally {
      session.dispose()
    }
  })
})
