import { OOD_SCORE_NAMES, type OodScoreName } from '@sd-dropout/sdk'
import { scoreItem } from '../sdk-imports.js'
import type { DeployedModel, ModelRun } from './deployed-model.js'
import { headOutputs } from './head-outputs.js'

/** Every OOD score of every item of a run (higher = more OOD), plus the MC predictive distribution. */
export interface ScoredRun {
  readonly scores: Readonly<Partial<Record<OodScoreName, Float32Array>>>
  /** pbar at (S, seed, T_cal), N x C; softmax(z0 / T_cal) when S = 0. */
  readonly monteCarloProbabilities: Float32Array
  /** softmax(z0 / T_cal), N x C. */
  readonly calibratedProbabilities: Float32Array
}

/**
 * Computes every OOD score of DESIGN section 2 for a run, exactly as the SDK would at the model's
 * S, mask seed and T_cal: the head scores through the SDK's reference head kernel, `mahalanobis`
 * through `scoreItem` (only when the model has statistics; MC scores only when S >= 2).
 *
 * @example
 * ```ts
 * const { scores } = scoreRun(model, runModel(model, validation))
 * scores.energy // N values
 * ```
 */
export function scoreRun(model: DeployedModel, run: ModelRun): ScoredRun {
  const options = { seed: model.seed, temperature: model.temperature }
  const monteCarlo = headOutputs(model.head, run.features, run.count, { ...options, samples: model.samples })
  const deterministic = model.samples === 0 ? monteCarlo : headOutputs(model.head, run.features, run.count, { ...options, samples: 0 })
  const scores: Partial<Record<OodScoreName, Float32Array>> = {}
  for (const name of OOD_SCORE_NAMES) {
    if (name === 'mahalanobis') continue
    const values = monteCarlo.scores[name]
    if (values !== null) scores[name] = values
  }
  const statistics = model.mahalanobis
  if (statistics !== null) {
    const { featureDim, classes } = model.head
    const values = new Float32Array(run.count)
    for (let i = 0; i < run.count; i++) {
      values[i] = scoreItem('mahalanobis', {
        logits: run.logits.subarray(i * classes, (i + 1) * classes),
        temperature: model.temperature,
        features: run.features.subarray(i * featureDim, (i + 1) * featureDim),
        mahalanobis: statistics,
      })
    }
    scores.mahalanobis = values
  }
  return { scores, monteCarloProbabilities: monteCarlo.probabilities, calibratedProbabilities: deterministic.probabilities }
}
