import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { FormatError, type Manifest } from '@sd-dropout/sdk'
import { mahalanobisStatistics, readBundleFile } from '../sdk-imports.js'
import type { DeployedModel } from './deployed-model.js'

/** A bundle opened for evaluation: its manifest, fingerprint and the model it describes. */
export interface LoadedBundle {
  readonly path: string
  readonly manifest: Manifest
  readonly sha256: string
  readonly model: DeployedModel
}

/**
 * Opens a bundle file (integrity-checked by the SDK reader) and rebuilds its model: the backbone
 * from topology + weights with `tf.loadLayersModel(tf.io.fromMemory(...))`, the head, T_cal, the
 * Mahalanobis statistics, and the S and seed its thresholds were fitted at.
 *
 * @throws {InputError} for a missing file; {@link FormatError} / `IntegrityError` for a damaged one.
 * @example
 * ```ts
 * const { model, manifest } = await loadBundleModel('models/mnist-sd-dropout/model.sdd')
 * ```
 */
export async function loadBundleModel(path: string): Promise<LoadedBundle> {
  const bundle = await readBundleFile(path)
  const { manifest } = bundle
  if (manifest.backbone.format !== 'tfjs-layers') throw new FormatError('manifest', `backbone format ${String(manifest.backbone.format)} is not supported`)
  const weights = bundle.bytes(manifest.backbone.weightsPart)
  const backbone = await tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: bundle.json(manifest.backbone.topologyPart) as object,
      weightSpecs: manifest.backbone.weightSpecs.map((spec) => ({ ...spec, shape: [...spec.shape] })),
      weightData: weights.slice().buffer,
    }),
  )
  const { head } = manifest
  const statistics = manifest.ood.mahalanobis
  const model: DeployedModel = {
    backbone,
    head: {
      weight: bundle.float32(head.weightPart).slice(),
      bias: bundle.float32(head.biasPart).slice(),
      featureDim: head.inputDim,
      classes: head.classes,
      dropoutRate: head.dropoutRate,
    },
    inputShape: [...manifest.input.shape],
    temperature: manifest.calibration.temperature,
    mahalanobis:
      statistics === null
        ? null
        : mahalanobisStatistics(bundle.float32(statistics.meansPart).slice(), bundle.float32(statistics.precisionPart).slice(), head.inputDim, head.classes, statistics.shrinkage, statistics.fittedOn),
    samples: manifest.ood.samples,
    seed: manifest.ood.seed,
  }
  return { path, manifest, sha256: bundle.sha256, model }
}
