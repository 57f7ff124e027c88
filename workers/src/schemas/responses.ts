import { OOD_SCORE_NAMES } from '@sd-dropout/sdk'
import * as v from 'valibot'
import { ERROR_CODES } from '../error-catalogue.js'

const number = v.number()

/** `model` of every predict / filter response. */
export const modelReferenceSchema = v.object({ name: v.string(), id: v.string(), sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/)) })

/** The options a prediction used, defaults filled in. */
export const resolvedOptionsSchema = v.object({ samples: number, seed: number, oodScore: v.picklist(OOD_SCORE_NAMES) })

/** One item's result: the SDK's `Prediction` (probabilities calibrated, entropies in nats). */
export const predictionSchema = v.pipe(
  v.object({
    label: v.string(),
    classIndex: number,
    probabilities: v.array(number),
    confidence: number,
    abstain: v.boolean(),
    uncertainty: v.object({ predictiveEntropy: number, expectedEntropy: number, mutualInformation: number, variance: number }),
    ood: v.object({ score: number, method: v.picklist(OOD_SCORE_NAMES), threshold: v.nullable(number), isOutOfDistribution: v.boolean() }),
  }),
  v.title('Prediction'),
)

/** 200 body of `POST .../predict`. */
export const predictResponseSchema = v.object({ model: modelReferenceSchema, options: resolvedOptionsSchema, predictions: v.array(predictionSchema) })

/** 200 body of `POST .../filter`. */
export const filterResponseSchema = v.object({
  model: modelReferenceSchema,
  options: resolvedOptionsSchema,
  accepted: v.array(v.object({ index: number, prediction: predictionSchema })),
  rejected: v.array(v.object({ index: number, score: number, threshold: number, method: v.picklist(OOD_SCORE_NAMES) })),
})

const modelSummaryEntries = {
  name: v.string(),
  id: v.string(),
  sha256: v.string(),
  source: v.picklist(['built-in', 'r2', 'fine-tuned']),
  default: v.boolean(),
  signatureVerified: v.boolean(),
  createdAt: v.string(),
  labels: v.array(v.string()),
  input: v.object({ shape: v.array(number), kind: v.picklist(['image', 'vector']), image: v.nullable(v.record(v.string(), v.unknown())) }),
}

/** An entry of `GET /v1/models` (or, for a model that cannot load, its name, source and error). */
export const modelListSchema = v.object({
  default: v.string(),
  models: v.array(
    v.union([
      v.object(modelSummaryEntries),
      v.object({ name: v.string(), source: v.literal('r2'), default: v.literal(false), error: v.object({ code: v.string(), message: v.string() }) }),
    ]),
  ),
})

/** 200 body of `GET /v1/models/:name`. */
export const modelDetailSchema = v.object({
  ...modelSummaryEntries,
  featureDim: number,
  dropoutRate: number,
  calibration: v.object({ temperature: number, atBound: v.nullable(v.picklist(['lower', 'upper'])), fittedOn: number }),
  ood: v.object({
    score: v.picklist(OOD_SCORE_NAMES),
    thresholds: v.record(v.string(), number),
    targetAcceptance: number,
    samples: number,
    seed: number,
    mahalanobis: v.boolean(),
  }),
  selective: v.nullable(v.object({ targetRisk: number, confidenceThreshold: number, coverage: number, risk: number })),
  metrics: v.record(v.string(), v.record(v.string(), v.unknown())),
  provenance: v.record(v.string(), v.unknown()),
  runtime: v.object({ backbone: v.string(), head: v.string() }),
})

/** 201 body of `POST /v1/models/:name/fine-tune`: the new model, where it is stored, and how training went. */
export const fineTuneResponseSchema = v.pipe(
  v.object({
    model: modelReferenceSchema,
    parent: modelReferenceSchema,
    r2Key: v.pipe(v.string(), v.description('The R2 object key in MODEL_BUCKET: fine-tuned/<name>.sdd.')),
    bytes: number,
    labels: v.array(v.string()),
    split: v.object({ train: number, heldOut: number, folds: number }),
    kernel: v.pipe(v.string(), v.description('The gradient kernel that ran (wasm-simd in workerd).')),
    metrics: v.object({
      before: v.pipe(v.nullable(v.record(v.string(), v.unknown())), v.description('The parent on the held-out part, calibrated, over the new label set (null when the label set changed).')),
      after: v.pipe(v.record(v.string(), v.unknown()), v.description('The new model on the held-out part after re-calibration (accuracy, NLL, ECE, ... as fractions).')),
    }),
    history: v.array(v.object({ epoch: number, loss: number, crossEntropy: number, distillation: number, accuracy: number })),
  }),
  v.title('FineTuneResult'),
)

/** Every error body: `{ "error": { "code", "message", "details"? } }`. */
export const errorBodySchema = v.pipe(
  v.object({ error: v.object({ code: v.picklist(ERROR_CODES), message: v.string(), details: v.optional(v.record(v.string(), v.unknown())) }) }),
  v.title('ErrorBody'),
)
