import * as v from 'valibot'
import { FormatError } from '../errors.js'
import { OOD_SCORE_NAMES, isMonteCarloScore, isOodScoreName } from '../ood/score-name.js'
import { partNameProblem } from './bundle-layout.js'
import type { JsonValue, Manifest } from './manifest.js'
import { unknownKeyPath } from './unknown-keys.js'

const finite = v.pipe(v.number(), v.finite())
const positive = v.pipe(v.number(), v.finite(), v.gtValue(0))
const nonNegative = v.pipe(v.number(), v.finite(), v.minValue(0))
const fraction = v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(1))
const count = v.pipe(v.number(), v.safeInteger(), v.minValue(0))
const positiveCount = v.pipe(v.number(), v.safeInteger(), v.minValue(1))
const text = v.pipe(v.string(), v.nonEmpty())
const partName = v.pipe(
  v.string(),
  v.check((name) => partNameProblem(name) === null && name !== 'manifest', 'must be a part name ([A-Za-z0-9][A-Za-z0-9._-]*, not manifest)'),
)
const scoreName = v.picklist(OOD_SCORE_NAMES)

// valibot's `object` and `record` accept arrays; JSON objects here never are.
const nonArrayObject = v.custom<Record<string, unknown>>(
  (input) => typeof input === 'object' && input !== null && !Array.isArray(input),
  (issue) => `Invalid type: Expected Object but received ${Array.isArray(issue.input) ? 'Array' : JSON.stringify(issue.input)}`,
)

/** A JSON object with the given entries (unknown keys dropped). */
function plainObject<TEntries extends v.ObjectEntries>(entries: TEntries) {
  return v.pipe(nonArrayObject, v.object(entries))
}

/** A JSON object used as a map from keys to values. */
function plainRecord<TKey extends v.GenericSchema<string, string>, TValue extends v.GenericSchema>(key: TKey, value: TValue) {
  return v.pipe(nonArrayObject, v.record(key, value))
}

const jsonValueSchema: v.GenericSchema<unknown, JsonValue> = v.lazy(() =>
  v.union([v.string(), finite, v.boolean(), v.null(), v.array(jsonValueSchema), plainRecord(v.string(), jsonValueSchema)]),
)

const imageSchema = v.pipe(
  plainObject({
    channels: v.picklist([1, 3]),
    height: positiveCount,
    width: positiveCount,
    scale: positive,
    mean: v.array(finite),
    std: v.array(positive),
    invert: v.boolean(),
    mnistCentering: v.boolean(),
  }),
  v.forward(v.check((image) => image.mean.length === image.channels, 'must hold one value per channel'), ['mean']),
  v.forward(v.check((image) => image.std.length === image.channels, 'must hold one value per channel'), ['std']),
)

const inputSchema = v.pipe(
  plainObject({ shape: v.pipe(v.array(positiveCount), v.minLength(1), v.maxLength(8)), kind: v.picklist(['image', 'vector']), image: v.nullable(imageSchema) }),
  v.forward(v.check((input) => (input.kind === 'image') === (input.image !== null), 'must be an object for image inputs and null for vector inputs'), ['image']),
  v.forward(
    v.check(
      (input) => input.image === null || input.shape.reduce((product, dim) => product * dim, 1) === input.image.height * input.image.width * input.image.channels,
      'must hold height * width * channels values of the image preprocessing',
    ),
    ['shape'],
  ),
)

const backboneSchema = plainObject({
  format: v.literal('tfjs-layers'),
  topologyPart: partName,
  weightsPart: partName,
  weightSpecs: v.array(plainObject({ name: text, shape: v.array(count), dtype: v.picklist(['float32', 'int32']) })),
  featureDim: positiveCount,
  architecture: text,
})

const headSchema = plainObject({
  weightPart: partName,
  biasPart: partName,
  inputDim: positiveCount,
  classes: positiveCount,
  dropoutRate: v.pipe(v.number(), v.finite(), v.minValue(0), v.ltValue(1)),
})

const calibrationSchema = plainObject({ temperature: positive, atBound: v.nullable(v.picklist(['lower', 'upper'])), fittedOn: count })

const mahalanobisSchema = plainObject({ meansPart: partName, precisionPart: partName, shrinkage: fraction, fittedOn: count })

const oodSchema = v.pipe(
  plainObject({
    score: scoreName,
    thresholds: plainRecord(scoreName, finite),
    targetAcceptance: v.pipe(v.number(), v.finite(), v.gtValue(0), v.maxValue(1)),
    samples: count,
    seed: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(0xffffffff)),
    mahalanobis: v.nullable(mahalanobisSchema),
  }),
  v.forward(
    v.check((ood) => ood.mahalanobis !== null || (ood.score !== 'mahalanobis' && ood.thresholds.mahalanobis === undefined), 'must be fitted when mahalanobis is the default score or has a threshold'),
    ['mahalanobis'],
  ),
  v.forward(
    v.check((ood) => ood.samples >= 2 || !Object.keys(ood.thresholds).some((name) => isOodScoreName(name) && isMonteCarloScore(name)), 'must be >= 2 when an MC-dropout score has a threshold'),
    ['samples'],
  ),
)

const selectiveSchema = plainObject({ targetRisk: fraction, confidenceThreshold: fraction, coverage: fraction, risk: fraction })

const oodDetectionSchema = plainObject({ auroc: fraction, auprIn: fraction, auprOut: fraction, fpr95: fraction, detectionError: fraction })

const evaluationSchema = plainObject({
  items: count,
  accuracy: fraction,
  nll: nonNegative,
  brier: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(2)),
  ece: fraction,
  adaptiveEce: fraction,
  mce: fraction,
  aurc: fraction,
  eAurc: fraction,
  nllUncalibrated: v.optional(nonNegative),
  eceUncalibrated: v.optional(fraction),
  ood: v.optional(plainRecord(v.string(), plainRecord(scoreName, oodDetectionSchema))),
})

const provenanceSchema = plainObject({
  method: text,
  hyperParameters: plainRecord(v.string(), jsonValueSchema),
  seed: v.pipe(v.number(), v.safeInteger()),
  data: plainObject({ name: text, sha256: v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters')), items: count }),
  command: v.string(),
  toolVersion: text,
  backend: text,
  parentId: v.nullable(text),
})

/**
 * The valibot schema of a {@link Manifest} (format v1), including the rules that tie fields
 * together (labels.length = head.classes, head.inputDim = backbone.featureDim, image preprocessing
 * matches the input shape, Mahalanobis statistics exist where a score needs them). Metric
 * fractions must lie in [0, 1], Brier in [0, 2], NLL >= 0, every number finite. Unknown keys are
 * dropped by the schema; {@link parseManifest} reports them unless told not to.
 *
 * @example
 * ```ts
 * const result = v.safeParse(manifestSchema, JSON.parse(text))
 * if (!result.success) console.log(v.getDotPath(result.issues[0]))
 * ```
 */
export const manifestSchema: v.GenericSchema<unknown, Manifest> = v.pipe(
  plainObject({
    format: v.literal('sd-dropout-bundle'),
    formatVersion: v.literal(1),
    id: v.pipe(v.string(), v.nonEmpty(), v.maxLength(256)),
    name: v.pipe(v.string(), v.maxLength(128), v.regex(/^[a-z0-9][a-z0-9._-]*$/, 'must match [a-z0-9][a-z0-9._-]*')),
    createdAt: v.pipe(v.string(), v.isoTimestamp()),
    labels: v.pipe(v.array(text), v.minLength(2), v.check((labels) => new Set(labels).size === labels.length, 'must be distinct')),
    input: inputSchema,
    backbone: backboneSchema,
    head: headSchema,
    calibration: calibrationSchema,
    ood: oodSchema,
    selective: v.nullable(selectiveSchema),
    metrics: plainRecord(v.string(), evaluationSchema),
    provenance: provenanceSchema,
  }),
  v.forward(v.check((manifest) => manifest.head.classes === manifest.labels.length, 'must equal the number of labels'), ['head', 'classes']),
  v.forward(v.check((manifest) => manifest.head.inputDim === manifest.backbone.featureDim, 'must equal backbone.featureDim'), ['head', 'inputDim']),
)

/** Options of {@link parseManifest}. */
export interface ParseManifestOptions {
  /** Ignore keys the schema does not know (a reader does so for bundles of a newer minor version). Default false. */
  readonly allowUnknownKeys?: boolean
}

/**
 * Validates a parsed manifest JSON value against {@link manifestSchema} and returns it typed.
 *
 * @throws {FormatError} naming part `manifest`, with the failing field's dot path (e.g.
 *   `head.classes`, `labels.1`; `(root)` for the whole value) in the message and in `details.field`.
 * @example
 * ```ts
 * const manifest = parseManifest(JSON.parse(text))
 * manifest.head.classes // C
 * ```
 */
export function parseManifest(json: unknown, options: ParseManifestOptions = {}): Manifest {
  const result = v.safeParse(manifestSchema, json)
  if (!result.success) {
    const issue = result.issues[0]
    const field = v.getDotPath(issue) ?? '(root)'
    throw new FormatError('manifest', `${field}: ${issue.message}`, { field })
  }
  if (options.allowUnknownKeys !== true) {
    const field = unknownKeyPath(json, result.output)
    if (field !== null) throw new FormatError('manifest', `${field}: unknown key (not in manifest format v1)`, { field })
  }
  return result.output
}
