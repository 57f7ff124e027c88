import type { BundlePartInput } from '../format/bundle-part.js'
import type { CalibrationSpec, EvaluationMetrics, InputSpec, Manifest, OodSpec, Provenance, SelectiveSpec } from '../format/manifest.js'
import type { BundleInput } from '../format/write-bundle.js'
import type { MahalanobisStatistics } from '../ood/mahalanobis/mahalanobis-statistics.js'
import type { BackboneArtifacts } from './backbone-artifacts.js'

/** The standard part names every writer uses (docs/format.md). */
export const PART_NAMES = {
  topology: 'backbone.topology',
  weights: 'backbone.weights',
  headWeight: 'head.weight',
  headBias: 'head.bias',
  mahalanobisMeans: 'ood.mahalanobis.means',
  mahalanobisPrecision: 'ood.mahalanobis.precision',
} as const

/** Everything a model bundle holds, as the trainer, the importer and fine-tuning produce it. */
export interface BundleContents {
  readonly id: string
  readonly name: string
  /** ISO time; default now. */
  readonly createdAt?: string
  readonly labels: readonly string[]
  readonly input: InputSpec
  /** Architecture name for humans (`mlp`, `cnn`, `resnet`, `imported`). */
  readonly architecture: string
  readonly backbone: BackboneArtifacts
  /** The linear head: W [D, C] feature-major, b [C], and the dropout rate p in front of it. */
  readonly head: { readonly weight: Float32Array; readonly bias: Float32Array; readonly dropoutRate: number }
  readonly calibration: CalibrationSpec
  readonly ood: Omit<OodSpec, 'mahalanobis'>
  /** Fitted Mahalanobis statistics (means and precision are stored), or null. */
  readonly mahalanobis: MahalanobisStatistics | null
  readonly selective: SelectiveSpec | null
  readonly metrics: Readonly<Record<string, EvaluationMetrics>>
  readonly provenance: Provenance
}

/**
 * Lays a model out as a bundle (manifest + parts under {@link PART_NAMES}), ready for
 * `writeBundle` / `writeBundleFile`. The one place that maps a model to the format.
 *
 * @example
 * ```ts
 * const bytes = await writeBundle(assembleBundle({ id, name, labels, input, architecture: 'cnn', backbone: await serializeBackbone(model), ... }))
 * ```
 */
export function assembleBundle(contents: BundleContents): BundleInput {
  const classes = contents.labels.length
  const featureDim = contents.head.bias.length === 0 ? 0 : contents.head.weight.length / classes
  const stats = contents.mahalanobis
  const manifest: Manifest = {
    format: 'sd-dropout-bundle',
    formatVersion: 1,
    id: contents.id,
    name: contents.name,
    createdAt: contents.createdAt ?? new Date().toISOString(),
    labels: contents.labels,
    input: contents.input,
    backbone: {
      format: 'tfjs-layers',
      topologyPart: PART_NAMES.topology,
      weightsPart: PART_NAMES.weights,
      weightSpecs: contents.backbone.weightSpecs,
      featureDim,
      architecture: contents.architecture,
    },
    head: { weightPart: PART_NAMES.headWeight, biasPart: PART_NAMES.headBias, inputDim: featureDim, classes, dropoutRate: contents.head.dropoutRate },
    calibration: contents.calibration,
    ood: {
      ...contents.ood,
      mahalanobis:
        stats === null
          ? null
          : { meansPart: PART_NAMES.mahalanobisMeans, precisionPart: PART_NAMES.mahalanobisPrecision, shrinkage: stats.shrinkage, fittedOn: stats.fittedOn },
    },
    selective: contents.selective,
    metrics: contents.metrics,
    provenance: contents.provenance,
  }
  const parts: BundlePartInput[] = [
    { name: PART_NAMES.topology, data: contents.backbone.topology },
    { name: PART_NAMES.weights, data: contents.backbone.weights },
    { name: PART_NAMES.headWeight, data: contents.head.weight, shape: [featureDim, classes] },
    { name: PART_NAMES.headBias, data: contents.head.bias, shape: [classes] },
  ]
  if (stats !== null) {
    parts.push({ name: PART_NAMES.mahalanobisMeans, data: stats.means, shape: [classes, featureDim] })
    parts.push({ name: PART_NAMES.mahalanobisPrecision, data: stats.precision, shape: [featureDim, featureDim] })
  }
  return { manifest, parts }
}
