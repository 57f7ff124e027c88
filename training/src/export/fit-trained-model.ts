import type * as tfl from '@tensorflow/tfjs-layers'
import { fitDeployment, InputError, type DeploymentFit } from '@sd-dropout/sdk'
import type { Dataset } from '../data/dataset.js'
import type { TrainingSession } from '../loop/training-session.js'
import { forwardFeatures } from '../models/forward-features.js'
import { featureModel } from './feature-model.js'
import { servingHeadKernel } from './serving-head-kernel.js'

/** The deployment settings of a trained model (the `train` flags `--ood-samples`, `--ood-seed`, `--target-acceptance`, `--target-risk`, `--sd-rate`). */
export interface DeploymentOptions {
  /** S, the MC-dropout samples the SDK serves with (the bundle's `ood.samples`), and its mask seed. */
  readonly samples: number
  readonly seed: number
  /** Fraction of validation items each OOD threshold accepts, e.g. 0.95. */
  readonly targetAcceptance: number
  /** Largest error rate among answered validation items for the selective threshold, e.g. 0.01. */
  readonly targetRisk: number
  /** Drop probability p of the MC-dropout in front of the head. */
  readonly dropoutRate: number
}

/** A trained model ready to export: its deployable backbone, its head and the SDK's deployment fit. */
export interface TrainedDeployment {
  /** Input -> h only (the stage outputs are for training); shares the session's weights. */
  readonly backbone: tfl.LayersModel
  /** W [D, C] feature-major, b [C], and p. */
  readonly head: { readonly weight: Float32Array; readonly bias: Float32Array; readonly featureDim: number; readonly classes: number; readonly dropoutRate: number }
  readonly fit: DeploymentFit
  /** S and mask seed the fit's MC statistics, T_cal and thresholds were computed at (the bundle's `ood.samples`, `ood.seed`). */
  readonly samples: number
  readonly seed: number
}

/**
 * The post-training fit of a trained session: pooled features h of the training and validation
 * splits from the trained backbone (inference mode), then the SDK's ONE feature-level fit,
 * `fitDeployment` (Mahalanobis statistics on training features; T_cal on the validation MC mean
 * pbar at S and seed; every OOD threshold at `targetAcceptance`; the selective threshold; held-out
 * metrics), run on the head kernel the bundle will be served with (see `servingHeadKernel`).
 *
 * @throws {InputError} when the trained backbone maps every training item to the same h (a collapsed
 *   model, e.g. all ReLUs dead: nothing to calibrate or fit statistics on), or a class has no
 *   training items (no Mahalanobis class mean); the errors of `fitDeployment`.
 * @example
 * ```ts
 * const { fit } = await fitTrainedModel(session, train, validation, { samples: 32, seed: 0, targetAcceptance: 0.95, targetRisk: 0.01, dropoutRate: 0.2 })
 * fit.calibration.temperature // T_cal
 * ```
 */
export async function fitTrainedModel(session: TrainingSession, train: Dataset, validation: Dataset, options: DeploymentOptions): Promise<TrainedDeployment> {
  const backbone = featureModel(session.backbone)
  const head = {
    weight: session.head.weight.dataSync() as Float32Array,
    bias: session.head.bias.dataSync() as Float32Array,
    featureDim: session.backbone.featureDim,
    classes: session.classes,
    dropoutRate: options.dropoutRate,
  }
  const trainFeatures = forwardFeatures(backbone, train.images, train.count, train.itemShape)
  assertNotCollapsed(trainFeatures, head.featureDim)
  const fit = fitDeployment({
    head,
    train: { features: trainFeatures, labels: train.labels },
    heldOut: { features: forwardFeatures(backbone, validation.images, validation.count, validation.itemShape), labels: validation.labels },
    samples: options.samples,
    seed: options.seed,
    targetAcceptance: options.targetAcceptance,
    targetRisk: options.targetRisk,
    kernel: await servingHeadKernel(),
  })
  return { backbone, head, fit, samples: options.samples, seed: options.seed }
}

/** Every item's h equal to the first item's: the backbone ignores its input. */
function assertNotCollapsed(features: Float32Array, featureDim: number): void {
  for (let k = featureDim; k < features.length; k++) if (features[k] !== features[k % featureDim]) return
  throw new InputError(
    `the trained model is collapsed: its backbone maps every training item to the same features h (e.g. all ReLUs dead), so it has learnt nothing to calibrate; lower --lr, change the model size or the seed`,
    { featureDim, items: features.length / Math.max(1, featureDim) },
  )
}
