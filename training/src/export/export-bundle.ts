import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { FormatError, type EvaluationMetrics, type JsonValue, type Manifest, type OodScoreName, type WeightSpec } from '@sd-dropout/sdk'
import { writeBundleFile, type BundlePartInput } from '../sdk-imports.js'
import type { DeploymentFit } from './fit-deployment.js'

/** The tfjs-layers artifacts of a backbone: topology JSON, weight specs, concatenated weights. */
export interface BackboneArtifacts {
  readonly topology: JsonValue
  readonly weightSpecs: readonly WeightSpec[]
  readonly weightData: Uint8Array
}

/**
 * Serialises a LayersModel in memory (`tf.io.withSaveHandler`, no tfjs-node needed): its
 * `model.toJSON()` topology, weight specs and weight bytes (little-endian, in spec order).
 *
 * @throws {FormatError} for weights of a dtype other than float32 / int32.
 * @example
 * ```ts
 * const artifacts = await backboneArtifacts(featureModel(backbone))
 * ```
 */
export async function backboneArtifacts(model: tfl.LayersModel): Promise<BackboneArtifacts> {
  let captured: tf.io.ModelArtifacts | undefined
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      captured = artifacts
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })
    }),
  )
  if (captured?.modelTopology === undefined || captured.weightSpecs === undefined || captured.weightData === undefined) {
    throw new FormatError('backbone.topology', 'tfjs returned no topology or weights for the backbone')
  }
  const weightSpecs = captured.weightSpecs.map((spec) => {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new FormatError('backbone.weights', `weight ${spec.name} has dtype ${spec.dtype}; only float32 and int32 are stored`)
    return { name: spec.name, shape: [...spec.shape], dtype: spec.dtype }
  })
  const buffers = Array.isArray(captured.weightData) ? captured.weightData : [captured.weightData]
  const weightData = new Uint8Array(buffers.reduce((sum, b) => sum + b.byteLength, 0))
  let offset = 0
  for (const buffer of buffers) {
    weightData.set(new Uint8Array(buffer), offset)
    offset += buffer.byteLength
  }
  return { topology: captured.modelTopology as JsonValue, weightSpecs, weightData }
}

/** Everything about the run the manifest records besides the fit. */
export interface ExportDescription {
  readonly name: string
  readonly labels: readonly string[]
  readonly architecture: string
  readonly oodScore: OodScoreName
  readonly targetAcceptance: number
  readonly targetRisk: number
  readonly mnistCentering: boolean
  readonly metrics: Readonly<Record<string, EvaluationMetrics>>
  readonly provenance: Manifest['provenance']
}

/**
 * Writes the ONE bundle file of a trained model (format v1, `docs/format.md`), atomically: the
 * deployable backbone (topology + weights), head W [D, C] and b [C], Mahalanobis means [C, D] and
 * precision [D, D], T_cal, the OOD score and thresholds of every score (at S and seed), the
 * selective threshold, metrics and provenance.
 *
 * @returns the written file's size and SHA-256
 * @example
 * ```ts
 * await exportBundle('models/mnist-sd-dropout/model.sdd', fit, description)
 * ```
 */
export async function exportBundle(path: string, fit: DeploymentFit, description: ExportDescription): Promise<{ path: string; bytes: number; sha256: string; manifest: Manifest }> {
  const { model } = fit
  const artifacts = await backboneArtifacts(model.backbone)
  const createdAt = new Date().toISOString()
  const mahalanobis = model.mahalanobis
  const manifest: Manifest = {
    format: 'sd-dropout-bundle',
    formatVersion: 1,
    id: `${description.name}-${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${crypto.randomUUID().slice(0, 8)}`,
    name: description.name,
    createdAt,
    labels: [...description.labels],
    input: {
      shape: [...model.inputShape],
      kind: 'image',
      image: {
        channels: (model.inputShape[2] ?? 1) === 3 ? 3 : 1,
        height: model.inputShape[0] ?? 0,
        width: model.inputShape[1] ?? 0,
        scale: 1 / 255,
        mean: Array.from({ length: model.inputShape[2] ?? 1 }, () => 0),
        std: Array.from({ length: model.inputShape[2] ?? 1 }, () => 1),
        invert: false,
        mnistCentering: description.mnistCentering,
      },
    },
    backbone: {
      format: 'tfjs-layers',
      topologyPart: 'backbone.topology',
      weightsPart: 'backbone.weights',
      weightSpecs: artifacts.weightSpecs,
      featureDim: model.head.featureDim,
      architecture: description.architecture,
    },
    head: { weightPart: 'head.weight', biasPart: 'head.bias', inputDim: model.head.featureDim, classes: model.head.classes, dropoutRate: model.head.dropoutRate },
    calibration: { temperature: fit.temperature.temperature, atBound: fit.temperature.atBound, fittedOn: fit.validationItems },
    ood: {
      score: description.oodScore,
      thresholds: fit.thresholds,
      targetAcceptance: description.targetAcceptance,
      samples: model.samples,
      seed: model.seed,
      mahalanobis:
        mahalanobis === null
          ? null
          : { meansPart: 'ood.mahalanobis.means', precisionPart: 'ood.mahalanobis.precision', shrinkage: mahalanobis.shrinkage, fittedOn: mahalanobis.fittedOn },
    },
    selective: Number.isFinite(fit.selective.threshold)
      ? { targetRisk: description.targetRisk, confidenceThreshold: fit.selective.threshold, coverage: fit.selective.coverage, risk: fit.selective.risk }
      : null,
    metrics: clampFractions(description.metrics),
    provenance: description.provenance,
  }
  const parts: BundlePartInput[] = [
    { name: 'backbone.topology', data: artifacts.topology },
    { name: 'backbone.weights', data: artifacts.weightData },
    { name: 'head.weight', data: model.head.weight, shape: [model.head.featureDim, model.head.classes] },
    { name: 'head.bias', data: model.head.bias, shape: [model.head.classes] },
  ]
  if (mahalanobis !== null) {
    parts.push({ name: 'ood.mahalanobis.means', data: mahalanobis.means, shape: [model.head.classes, model.head.featureDim] })
    parts.push({ name: 'ood.mahalanobis.precision', data: mahalanobis.precision, shape: [model.head.featureDim, model.head.featureDim] })
  }
  const written = await writeBundleFile(path, { manifest, parts })
  return { ...written, manifest }
}

/**
 * Clamps metric fractions that float rounding pushed just past [0, 1] (e.g. an AUPR of
 * 1.0000000000000007), which the manifest schema rejects. Values further out are left alone, so a
 * real bug still fails loudly.
 */
function clampFractions(metrics: Readonly<Record<string, EvaluationMetrics>>): Record<string, EvaluationMetrics> {
  const clamp = (value: unknown): unknown => {
    if (typeof value === 'number') return value > 1 && value < 1 + 1e-9 ? 1 : value < 0 && value > -1e-9 ? 0 : value
    if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, clamp(inner)]))
    return value
  }
  return clamp(metrics) as Record<string, EvaluationMetrics>
}
