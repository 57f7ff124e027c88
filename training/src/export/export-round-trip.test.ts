import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { assembleBundle, readBundle, readBundleFile, writeBundle, type OodScoreName } from '@sd-dropout/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend/select-backend.js'
import { subset } from '../data/dataset.js'
import { imageInputSpec } from '../data/input-spec.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { syntheticOodSet } from '../data/synthetic-ood.js'
import { bundleAtTemperature } from '../evaluate/bundle-at-temperature.js'
import { evaluateBundleBytes, manifestMetrics, type BundleEvaluation } from '../evaluate/evaluate-bundle.js'
import type { TrainConfig } from '../loop/train-config.js'
import { trainLoop } from '../loop/train-loop.js'
import { createTrainingSession, type TrainingSession } from '../loop/training-session.js'
import { exportBundle, trainedBundleContents } from './export-bundle.js'
import { fitTrainedModel, type TrainedDeployment } from './fit-trained-model.js'

// train -> fit (the SDK's fitDeployment on the trained features) -> export -> load through the SDK
// -> evaluate. Evaluating on the very validation split the fit used must give back the fit's own
// numbers: the SDK serves exactly what the trainer fitted.

const dir = mkdtempSync(join(tmpdir(), 'sdd-export-'))
const split = loadMnistSplit()
const train = subset(split.train, Array.from({ length: 300 }, (_, i) => i), 'train/300')
const validation = subset(split.validation, Array.from({ length: 200 }, (_, i) => i), 'validation/200')
const config: TrainConfig = {
  model: { architecture: 'mlp', hidden: [48, 24] },
  method: 'sd-dropout',
  sd: { rate: 0.3, temperature: 1, weight: 0.1, detach: false, samples: 2 },
  epochs: 3,
  batchSize: 50,
  seed: 7,
  optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 },
  learningRate: 0.01,
  schedule: { kind: 'cosine', minimum: 0 },
  warmupEpochs: 0,
  augment: 'none',
}
const deployment = { samples: 8, seed: 3, targetAcceptance: 0.9, targetRisk: 0.05, dropoutRate: 0.3 }
const description = {
  name: 'round-trip',
  labels: Array.from({ length: 10 }, (_, c) => `digit-${c}`),
  architecture: 'mlp',
  oodScore: 'mutual-information' as const,
  targetAcceptance: deployment.targetAcceptance,
  input: imageInputSpec([28, 28, 1], null, true),
  provenance: { method: 'sd-dropout', hyperParameters: {}, seed: 7, data: { name: 'train/300', sha256: '0'.repeat(64), items: 300 }, command: 'test', toolVersion: '0', backend: 'wasm', parentId: null },
}

let session: TrainingSession
let trained: TrainedDeployment
let bytes: Uint8Array
let evaluation: BundleEvaluation
const noise = syntheticOodSet('uniform-noise', validation, 60)
const itself = { ...validation, name: 'validation-again' }

beforeAll(async () => {
  await selectBackend('wasm')
  session = createTrainingSession(config, train.itemShape, 10)
  await trainLoop(session, { train })
  trained = await fitTrainedModel(session, train, validation, deployment)
  bytes = await writeBundle(assembleBundle(await trainedBundleContents(trained, description, { validation: trained.fit.metrics })))
  evaluation = await evaluateBundleBytes(bytes, validation, [noise, itself])
}, 60_000)
afterAll(() => {
  session.dispose()
  rmSync(dir, { recursive: true, force: true })
})

describe('a trained model, exported and run through the SDK', () => {
  it('serves exactly the distribution the fit calibrated: equal metrics on the fit\'s own data', () => {
    expect(evaluation.test).toStrictEqual(trained.fit.metrics)
    const { nllUncalibrated: _nll, eceUncalibrated: _ece, ...deterministic } = evaluation.testDeterministic
    expect(deterministic).toStrictEqual(trained.fit.deterministicMetrics)
    // at T = 1 the deterministic NLL is the plain softmax NLL, larger than at the fitted T_cal
    expect(evaluation.testDeterministic.nllUncalibrated).toBeGreaterThan(evaluation.testDeterministic.nll)
  })

  it('accepts at least the target fraction of the fit\'s data with every threshold, at S and seed', () => {
    const scores = Object.keys(trained.fit.thresholds) as OodScoreName[]
    expect(scores.sort()).toStrictEqual(['energy', 'entropy', 'mahalanobis', 'max-logit', 'mc-entropy', 'msp', 'mutual-information'])
    for (const score of scores) expect(evaluation.testAcceptance[score], score).toBeGreaterThanOrEqual(deployment.targetAcceptance)
    const spec = trained.fit.selectiveSpec
    if (spec === null) expect(evaluation.selective).toBeNull()
    else expect(evaluation.selective).toStrictEqual({ coverage: spec.coverage, risk: spec.risk })
  })

  it('scores a set against itself at chance (AUROC 1/2) and accepts it as the threshold accepts the test set', () => {
    const self = evaluation.ood['validation-again'] ?? expect.fail('no self set')
    for (const [score, metrics] of Object.entries(self) as [OodScoreName, NonNullable<(typeof self)[OodScoreName]>][]) {
      expect(metrics.auroc, score).toBeCloseTo(0.5, 12)
      expect(metrics.acceptedAtThreshold, score).toBe(evaluation.testAcceptance[score])
    }
    expect(Object.keys(evaluation.ood)).toStrictEqual(['uniform-noise', 'validation-again'])
    expect(evaluation.ood['uniform-noise']?.mahalanobis?.auroc).toBeGreaterThan(0.9)
  })

  it('writes one bundle file whose manifest holds the fit, the labels and the metrics', async () => {
    const path = join(dir, 'model.sdd')
    const contents = await trainedBundleContents(trained, description, { validation: trained.fit.metrics, test: manifestMetrics(evaluation) })
    const written = await exportBundle(path, contents)
    const bundle = await readBundleFile(path)
    expect(bundle.sha256).toBe(written.sha256)
    const { manifest } = bundle
    expect(manifest.calibration).toStrictEqual(trained.fit.calibration)
    expect(manifest.ood).toMatchObject({ score: 'mutual-information', thresholds: trained.fit.thresholds, samples: 8, seed: 3, targetAcceptance: 0.9 })
    expect(manifest.labels).toStrictEqual(description.labels)
    expect(manifest.input).toMatchObject({ shape: [28, 28, 1], kind: 'image', image: { height: 28, width: 28, channels: 1, mnistCentering: true } })
    expect(manifest.head).toMatchObject({ inputDim: 24, classes: 10, dropoutRate: 0.3 })
    expect(manifest.metrics.test?.ood?.['uniform-noise']?.mahalanobis).toStrictEqual(
      (({ acceptedAtThreshold: _a, ...rest }) => rest)(evaluation.ood['uniform-noise']?.mahalanobis ?? expect.fail('no score')),
    )
    expect(Array.from(bundle.float32('head.weight'))).toStrictEqual(Array.from(trained.head.weight))
  })

  it('copies a bundle at another temperature: same parts, only calibration.temperature changed', async () => {
    const original = await readBundle(bytes)
    const copy = await readBundle(await bundleAtTemperature(bytes, 1))
    expect(copy.manifest).toStrictEqual({ ...original.manifest, calibration: { ...original.manifest.calibration, temperature: 1 } })
    expect(copy.partNames).toStrictEqual(original.partNames)
    for (const name of original.partNames.filter((part) => part !== 'manifest')) {
      const { offset: _moved, ...part } = original.part(name) // the manifest's length changed, so offsets may move
      expect(copy.part(name)).toMatchObject(part)
    }
    expect(original.manifest.calibration.temperature).not.toBe(1)
  })

  it('refuses a collapsed model (every h equal) with a clear message instead of a covariance error', async () => {
    const dead = createTrainingSession(config, train.itemShape, 10)
    try {
      tf.tidy(() => {
        for (const weight of dead.backbone.model.weights) weight.write(tf.zerosLike(weight.read()))
      })
      await expect(fitTrainedModel(dead, train, validation, deployment)).rejects.toThrow(/the trained model is collapsed: its backbone maps every training item to the same features h/)
    } finally {
      dead.dispose()
    }
  })
})
