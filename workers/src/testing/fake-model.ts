import type { ModelInfo, OodScoreName, Prediction, PredictOptions, SdModel } from '@sd-dropout/sdk'
import type { ModelInput } from '@sd-dropout/sdk'

/**
 * Test fixtures for the worker's unit tests (not shipped): a {@link ModelInfo} with a chosen input
 * shape, and a fake model whose `predict` returns one hand-set prediction per item, so route and
 * middleware logic can be tested without loading tfjs.
 */

/** A ModelInfo of an 8 x 8 x 1 image model (or a vector model of `shape`) with 3 classes. */
export function fakeInfo(overrides: Partial<ModelInfo> = {}): ModelInfo {
  const input = overrides.input ?? {
    shape: [8, 8, 1],
    kind: 'image' as const,
    image: { channels: 1 as const, height: 8, width: 8, scale: 1 / 255, mean: [0], std: [1], invert: false, mnistCentering: false },
  }
  return {
    id: 'fake-20261122T000000Z-00000000',
    name: 'fake',
    sha256: 'ab'.repeat(32),
    signatureVerified: false,
    labels: ['cat', 'dog', 'eel'],
    input,
    inputSize: input.shape.reduce((a, b) => a * b, 1),
    featureDim: 4,
    dropoutRate: 0.5,
    calibration: { temperature: 1, atBound: null, fittedOn: 10 },
    ood: { score: 'energy', thresholds: { energy: -1 }, targetAcceptance: 0.95, samples: 16, seed: 0, mahalanobis: false },
    selective: null,
    metrics: {},
    provenance: {
      method: 'sd-dropout',
      hyperParameters: {},
      seed: 0,
      data: { name: 'none', sha256: '0'.repeat(64), items: 0 },
      command: 'fake',
      toolVersion: '0',
      backend: 'none',
      parentId: null,
    },
    createdAt: '2026-11-22T00:00:00.000Z',
    ...overrides,
  }
}

/** A prediction whose OOD score is `score` against `threshold` (method energy). */
export function fakePrediction(score: number, threshold: number | null = -1, method: OodScoreName = 'energy'): Prediction {
  return {
    label: 'cat',
    classIndex: 0,
    probabilities: [0.5, 0.3, 0.2],
    confidence: 0.5,
    abstain: false,
    uncertainty: { predictiveEntropy: 1, expectedEntropy: 0.9, mutualInformation: 0.1, variance: 0.01 },
    ood: { score, method, threshold, isOutOfDistribution: threshold !== null && score > threshold },
  }
}

/** A fake model: `predict` records its calls and returns `fakePrediction(scores[i])` per item (batch size from the input). */
export function fakeModel(scores: readonly number[], info: ModelInfo = fakeInfo()): Pick<SdModel, 'info' | 'predict'> & { calls: { input: ModelInput; options: PredictOptions | undefined }[] } {
  const calls: { input: ModelInput; options: PredictOptions | undefined }[] = []
  return {
    info,
    calls,
    predict(input: ModelInput, options?: PredictOptions): Promise<Prediction[]> {
      calls.push({ input, options })
      const batch = input instanceof Float32Array ? input.length / info.inputSize : Array.isArray(input) ? input.length : 1
      return Promise.resolve(Array.from({ length: batch }, (_, i) => fakePrediction(scores[i] ?? -5)))
    },
  }
}
