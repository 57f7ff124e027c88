import type { BundlePartInput } from './bundle-part.js'
import type { Manifest } from './manifest.js'
import type { BundleInput } from './write-bundle.js'

/**
 * A tiny, valid bundle input for format tests (not a real model): a 4-feature vector input, a fake
 * one-layer backbone giving D = 2 features, C = 3 classes, Mahalanobis statistics, two metric
 * splits. Every call returns fresh objects, so tests may edit them.
 */

/** D, the feature dimension of the fixture. */
export const FIXTURE_FEATURES = 2

/** C, the class count of the fixture. */
export const FIXTURE_CLASSES = 3

/**
 * The fixture's manifest.
 *
 * @example
 * ```ts
 * const manifest = fixtureManifest() // labels ['zero', 'one', 'two'], D = 2
 * ```
 */
export function fixtureManifest(): Manifest {
  return {
    format: 'sd-dropout-bundle',
    formatVersion: 1,
    id: 'fixture-sd-dropout-20261122T101500Z-1a2b3c4d',
    name: 'fixture',
    createdAt: '2026-11-22T10:15:00.000Z',
    labels: ['zero', 'one', 'two'],
    input: { shape: [4], kind: 'vector', image: null },
    backbone: {
      format: 'tfjs-layers',
      topologyPart: 'backbone.topology',
      weightsPart: 'backbone.weights',
      weightSpecs: [
        { name: 'dense/kernel', shape: [4, 2], dtype: 'float32' },
        { name: 'dense/bias', shape: [2], dtype: 'float32' },
      ],
      featureDim: FIXTURE_FEATURES,
      architecture: 'mlp',
    },
    head: { weightPart: 'head.weight', biasPart: 'head.bias', inputDim: FIXTURE_FEATURES, classes: FIXTURE_CLASSES, dropoutRate: 0.5 },
    calibration: { temperature: 1.25, atBound: null, fittedOn: 200 },
    ood: {
      score: 'energy',
      thresholds: { energy: -2.5, msp: 0.4, 'mc-entropy': 0.9, mahalanobis: 12.5 },
      targetAcceptance: 0.95,
      samples: 16,
      seed: 0,
      mahalanobis: { meansPart: 'ood.mahalanobis.means', precisionPart: 'ood.mahalanobis.precision', shrinkage: 0.1, fittedOn: 600 },
    },
    selective: { targetRisk: 0.01, confidenceThreshold: 0.9, coverage: 0.8, risk: 0.0095 },
    metrics: {
      test: {
        items: 200,
        accuracy: 0.93,
        nll: 0.21,
        brier: 0.1,
        ece: 0.02,
        adaptiveEce: 0.025,
        mce: 0.11,
        aurc: 0.01,
        eAurc: 0.004,
        nllUncalibrated: 0.25,
        eceUncalibrated: 0.04,
        ood: { noise: { energy: { auroc: 0.9, auprIn: 0.85, auprOut: 0.88, fpr95: 0.3, detectionError: 0.15 } } },
      },
      validation: { items: 200, accuracy: 0.94, nll: 0.2, brier: 0.09, ece: 0.015, adaptiveEce: 0.02, mce: 0.1, aurc: 0.009, eAurc: 0.003 },
    },
    provenance: {
      method: 'sd-dropout',
      hyperParameters: { temperature: 3, lambda: 1, detachTarget: false, schedule: [100, 150], optimizer: { name: 'adam', lr: 0.001 }, note: null },
      seed: 7,
      data: { name: 'fixture (4 features, 3 classes)', sha256: 'ab'.repeat(32), items: 600 },
      command: 'sd-dropout train --method sd-dropout',
      toolVersion: '0.1.0',
      backend: 'wasm',
      parentId: null,
    },
  }
}

/**
 * The fixture's parts, in the order they are written (after `manifest`).
 *
 * @example
 * ```ts
 * fixtureParts().map((part) => part.name) // ['backbone.topology', 'backbone.weights', 'head.weight', ...]
 * ```
 */
export function fixtureParts(): BundlePartInput[] {
  const weights = new Float32Array(10).map((_, i) => (i - 4.5) / 8)
  return [
    { name: 'backbone.topology', data: { class_name: 'Sequential', config: { name: 'fixture', layers: [{ class_name: 'Dense', config: { units: 2, activation: 'relu' } }] } } },
    { name: 'backbone.weights', data: new Uint8Array(weights.buffer) },
    { name: 'head.weight', data: Float32Array.of(0.5, -1, 0.25, 2, -0.75, 1.5), shape: [FIXTURE_FEATURES, FIXTURE_CLASSES] },
    { name: 'head.bias', data: Float32Array.of(0.1, -0.2, 0.3) },
    { name: 'ood.mahalanobis.means', data: Float32Array.of(1, 0, 0, 1, -1, -1), shape: [FIXTURE_CLASSES, FIXTURE_FEATURES] },
    { name: 'ood.mahalanobis.precision', data: Float32Array.of(2, 0.5, 0.5, 1), shape: [FIXTURE_FEATURES, FIXTURE_FEATURES] },
  ]
}

/**
 * Manifest and parts together, ready for `writeBundle`.
 *
 * @example
 * ```ts
 * const bytes = await writeBundle(fixtureInput())
 * ```
 */
export function fixtureInput(): BundleInput {
  return { manifest: fixtureManifest(), parts: fixtureParts() }
}
