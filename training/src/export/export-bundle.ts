import { assembleBundle, serializeBackbone, writeBundleFile, type BundleContents, type EvaluationMetrics, type InputSpec, type OodScoreName, type Provenance, type WrittenBundleFile } from '@sd-dropout/sdk'
import type { TrainedDeployment } from './fit-trained-model.js'

/** Everything about a run the bundle records besides the fit. */
export interface ExportDescription {
  readonly name: string
  readonly labels: readonly string[]
  /** `mlp`, `cnn`, `resnet8`, ... */
  readonly architecture: string
  /** The bundle's default OOD score (thresholds of every score are stored). */
  readonly oodScore: OodScoreName
  readonly targetAcceptance: number
  /**
   * How the SDK turns served inputs into model space (image scaling, the training split's
   * per-channel mean / std, MNIST centring; or a vector); its `shape` is replaced by the backbone's
   * input shape (e.g. [784] for an MLP fed 28 x 28 images).
   */
  readonly input: InputSpec
  readonly provenance: Provenance
}

/**
 * The contents of a trained model's bundle (for the SDK's `assembleBundle`): the deployable
 * backbone serialised by the SDK's `serializeBackbone`, the head, T_cal, the thresholds of every
 * score at S and seed, the Mahalanobis statistics, the selective threshold, the given metrics and
 * provenance, and the description's input spec with the backbone's input shape.
 * The id is `<name>-<UTC time>-<8 random hex>`.
 *
 * @example
 * ```ts
 * const contents = await trainedBundleContents(deployment, description, { validation: deployment.fit.metrics })
 * await exportBundle('model.sdd', contents)
 * ```
 */
export async function trainedBundleContents(
  deployment: TrainedDeployment,
  description: ExportDescription,
  metrics: Readonly<Record<string, EvaluationMetrics>>,
): Promise<BundleContents> {
  const { backbone, head, fit } = deployment
  const shape = backbone.inputs[0]?.shape.slice(1).map((dim) => dim ?? 0) ?? []
  const createdAt = new Date().toISOString()
  return {
    id: `${description.name}-${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${crypto.randomUUID().slice(0, 8)}`,
    name: description.name,
    createdAt,
    labels: description.labels,
    input: { ...description.input, shape },
    architecture: description.architecture,
    backbone: await serializeBackbone(backbone),
    head: { weight: head.weight, bias: head.bias, dropoutRate: head.dropoutRate },
    calibration: fit.calibration,
    ood: { score: description.oodScore, thresholds: fit.thresholds, targetAcceptance: description.targetAcceptance, samples: deployment.samples, seed: deployment.seed },
    mahalanobis: fit.mahalanobis,
    selective: fit.selectiveSpec,
    metrics,
    provenance: description.provenance,
  }
}

/**
 * Writes the ONE bundle file of a model (format v1, `docs/format.md`) atomically: the SDK's
 * `assembleBundle` lays it out, `writeBundleFile` writes a temporary file, fsyncs and renames, so a
 * crash never leaves a partial bundle and an existing file stays intact until the new one is whole.
 *
 * @returns the written file's path, size and SHA-256
 * @example
 * ```ts
 * const { sha256 } = await exportBundle('models/mnist-sd-dropout/model.sdd', contents)
 * ```
 */
export function exportBundle(path: string, contents: BundleContents): Promise<WrittenBundleFile> {
  return writeBundleFile(path, assembleBundle(contents))
}
