import type { ModelBundle } from '../format/model-bundle.js'
import type { CalibrationSpec, EvaluationMetrics, InputSpec, Manifest, OodSpec, Provenance, SelectiveSpec } from '../format/manifest.js'

/** What a loaded model is: identity, labels, input spec, calibration, OOD settings and metrics. */
export interface ModelInfo {
  /** The manifest's model id. */
  readonly id: string
  /** Short name (URLs, logs). */
  readonly name: string
  /** SHA-256 (hex) of the bundle file: what `sha256sum model.sdd` prints. */
  readonly sha256: string
  /** Whether the bundle's Ed25519 signature was verified under the key given at load. */
  readonly signatureVerified: boolean
  /** Class labels, index = class. */
  readonly labels: readonly string[]
  /** Shape of one input item and how images are preprocessed into it. */
  readonly input: InputSpec
  /** Number of values in one input item (product of `input.shape`). */
  readonly inputSize: number
  /** D, the pooled feature length, and p, the head dropout rate. */
  readonly featureDim: number
  readonly dropoutRate: number
  readonly calibration: CalibrationSpec
  /** OOD defaults: `score`, `thresholds`, the `samples` and `seed` they were fitted at. */
  readonly ood: Omit<OodSpec, 'mahalanobis'> & { readonly mahalanobis: boolean }
  readonly selective: SelectiveSpec | null
  readonly metrics: Readonly<Record<string, EvaluationMetrics>>
  readonly provenance: Provenance
  readonly createdAt: string
}

/**
 * The {@link ModelInfo} of a verified bundle.
 *
 * @example
 * ```ts
 * modelInfo(await readBundle(bytes)).labels
 * ```
 */
export function modelInfo(bundle: ModelBundle): ModelInfo {
  const m: Manifest = bundle.manifest
  return {
    id: m.id,
    name: m.name,
    sha256: bundle.sha256,
    signatureVerified: bundle.signatureVerified,
    labels: m.labels,
    input: m.input,
    inputSize: m.input.shape.reduce((a, b) => a * b, 1),
    featureDim: m.head.inputDim,
    dropoutRate: m.head.dropoutRate,
    calibration: m.calibration,
    ood: { ...m.ood, mahalanobis: m.ood.mahalanobis !== null },
    selective: m.selective,
    metrics: m.metrics,
    provenance: m.provenance,
    createdAt: m.createdAt,
  }
}
