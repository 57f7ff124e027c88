import { OOD_SCORE_NAMES, matrix, type OodScoreName } from '@sd-dropout/sdk'
import type { Dataset } from '../data/dataset.js'
import { runModel, type DeployedModel } from '../evaluate/deployed-model.js'
import type { HostHead } from '../evaluate/head-outputs.js'
import { forwardFeatures } from '../evaluate/forward-features.js'
import { scoreRun } from '../evaluate/score-run.js'
import type { TrainingSession } from '../loop/training-session.js'
import {
  acceptanceThreshold,
  fitTemperature,
  MahalanobisAccumulator,
  selectiveThreshold,
  topLabelPredictions,
  type SelectiveThreshold,
  type TemperatureFit,
} from '../sdk-imports.js'
import { featureModel } from './feature-model.js'

/** What the post-training fit needs to know. */
export interface DeploymentOptions {
  /** S the SDK will use for MC scores (default 32) and its mask seed (default 0). */
  readonly samples: number
  readonly seed: number
  /** Fraction of held-out in-distribution items each OOD threshold accepts (default 0.95). */
  readonly targetAcceptance: number
  /** Target risk of the selective-prediction threshold (default 0.01). */
  readonly targetRisk: number
  /** Drop probability p of the MC-dropout in front of the head. */
  readonly dropoutRate: number
}

/** The fitted deployment of a trained model. */
export interface DeploymentFit {
  readonly model: DeployedModel
  readonly temperature: TemperatureFit
  /** Threshold per score at `targetAcceptance` of validation items, at S and seed. */
  readonly thresholds: Readonly<Partial<Record<OodScoreName, number>>>
  readonly selective: SelectiveThreshold
  readonly validationItems: number
  readonly trainItems: number
}

/**
 * Fits everything a deployment needs after training (DESIGN section 2): T_cal by NLL on the
 * validation logits; Mahalanobis class means and shrunk tied precision on the training features;
 * for every OOD score the threshold accepting `targetAcceptance` of validation items, computed at
 * the S, seed and T_cal the SDK uses; and the confidence threshold (on pbar at S) whose risk on
 * validation is at most `targetRisk`.
 *
 * @example
 * ```ts
 * const fit = fitDeployment(session, train, validation, { samples: 32, seed: 0, targetAcceptance: 0.95, targetRisk: 0.01, dropoutRate: 0.5 })
 * ```
 */
export function fitDeployment(session: TrainingSession, train: Dataset, validation: Dataset, options: DeploymentOptions): DeploymentFit {
  const backbone = featureModel(session.backbone)
  const head: HostHead = {
    weight: session.head.weight.dataSync() as Float32Array,
    bias: session.head.bias.dataSync() as Float32Array,
    featureDim: session.backbone.featureDim,
    classes: session.classes,
    dropoutRate: options.dropoutRate,
  }
  const accumulator = new MahalanobisAccumulator(head.featureDim, head.classes)
  accumulator.add(forwardFeatures(backbone, train.images, train.count, train.itemShape), train.labels)
  const mahalanobis = accumulator.finish()
  const uncalibrated: DeployedModel = { backbone, head, inputShape: train.itemShape, temperature: 1, mahalanobis, samples: options.samples, seed: options.seed }
  const run = runModel(uncalibrated, validation)
  const temperature = fitTemperature(matrix(run.logits, validation.count, head.classes), validation.labels)
  const model: DeployedModel = { ...uncalibrated, temperature: temperature.temperature }
  const scored = scoreRun(model, run)
  const thresholds: Partial<Record<OodScoreName, number>> = {}
  for (const name of OOD_SCORE_NAMES) {
    const scores = scored.scores[name]
    if (scores !== undefined) thresholds[name] = acceptanceThreshold(scores, options.targetAcceptance)
  }
  const { confidence, correct } = topLabelPredictions(matrix(scored.monteCarloProbabilities, validation.count, head.classes), validation.labels)
  const selective = selectiveThreshold(confidence, correct, options.targetRisk)
  return { model, temperature, thresholds, selective, validationItems: validation.count, trainItems: train.count }
}
