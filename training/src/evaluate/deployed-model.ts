import type * as tfl from '@tensorflow/tfjs-layers'
import { ShapeError } from '@sd-dropout/sdk'
import type { ImageSet } from '../data/synthetic-ood.js'
import type { MahalanobisStatistics } from '../sdk-imports.js'
import { forwardFeatures } from './forward-features.js'
import { headOutputs, type HostHead } from './head-outputs.js'

/** A model as it is deployed: backbone (input -> h), head, calibration and OOD settings. */
export interface DeployedModel {
  /** A LayersModel whose (first) output is h, [B, D]. */
  readonly backbone: tfl.LayersModel
  readonly head: HostHead
  readonly inputShape: readonly number[]
  /** T_cal. */
  readonly temperature: number
  /** Mahalanobis statistics of h on training data, or null. */
  readonly mahalanobis: MahalanobisStatistics | null
  /** S and mask seed the SDK uses for MC scores (the thresholds were fitted at these). */
  readonly samples: number
  readonly seed: number
}

/** What a model computes for a set of items. */
export interface ModelRun {
  readonly count: number
  /** h, N x D. */
  readonly features: Float32Array
  /** z0, N x C (no dropout). */
  readonly logits: Float32Array
}

/**
 * Runs a deployed model on a set of images: the backbone once per item (batched), then the
 * deterministic head. This is the one "run the bundle on a data set" step of `evaluate`
 * (the SDK's `loadModel` will replace it).
 *
 * @throws {ShapeError} when the images do not have the model's input shape.
 * @example
 * ```ts
 * const run = runModel(model, test)
 * ```
 */
export function runModel(model: DeployedModel, data: ImageSet): ModelRun {
  const expected = model.inputShape.join('x')
  if (data.itemShape.join('x') !== expected) throw new ShapeError(`images of ${data.name}`, `${expected} (the model's input)`, data.itemShape.join('x'))
  const features = forwardFeatures(model.backbone, data.images, data.count, data.itemShape)
  const { logits } = headOutputs(model.head, features, data.count, { samples: 0, seed: 0, temperature: 1 })
  return { count: data.count, features, logits }
}
