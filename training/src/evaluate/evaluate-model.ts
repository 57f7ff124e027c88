import { matrix, type EvaluationMetrics, type OodDetectionMetrics, type OodScoreName } from '@sd-dropout/sdk'
import type { Dataset } from '../data/dataset.js'
import type { ImageSet } from '../data/synthetic-ood.js'
import { evaluateClassification, evaluateOodDetection, topLabelPredictions, type ClassificationMetrics } from '../sdk-imports.js'
import { runModel, type DeployedModel } from './deployed-model.js'
import { headOutputs } from './head-outputs.js'
import { scoreRun } from './score-run.js'

/** OOD detection of one OOD set by one score, plus how the deployed threshold behaves on it. */
export interface OodScoreEvaluation extends OodDetectionMetrics {
  /** Fraction of this OOD set the deployed threshold accepts as in-distribution (null without a threshold). */
  readonly acceptedAtThreshold: number | null
}

/** Everything `evaluate` recomputes from data. */
export interface ModelEvaluation {
  /** Calibrated (T_cal), deterministic (S = 0) metrics on the test data, with uncalibrated NLL/ECE and OOD metrics: the manifest's `EvaluationMetrics`. */
  readonly test: EvaluationMetrics
  /** The same classification metrics on pbar = mean of S MC-dropout samples at T_cal (what the SDK returns by default). */
  readonly testMonteCarlo: ClassificationMetrics
  /** Per OOD set, per score: detection metrics and acceptance at the deployed threshold. */
  readonly ood: Readonly<Record<string, Readonly<Partial<Record<OodScoreName, OodScoreEvaluation>>>>>
  /** Fraction of test items each deployed OOD threshold accepts (target: the manifest's target acceptance). */
  readonly testAcceptance: Readonly<Partial<Record<OodScoreName, number>>>
  /** The selective-prediction threshold on the test data: coverage and risk among accepted (null without a threshold). */
  readonly selective: { readonly coverage: number; readonly risk: number } | null
}

/**
 * Evaluates a deployed model on labelled test data and unlabelled OOD sets: accuracy, NLL, Brier,
 * ECE, adaptive ECE, MCE, AURC, E-AURC (calibrated and MC), uncalibrated NLL and ECE, and for every
 * OOD set and score AUROC, AUPR-in/out, FPR95 and detection error (OOD = positive). Thresholds
 * (OOD and selective) are the model's; every number is computed from the data.
 *
 * @param thresholds deployed OOD thresholds (score above = OOD)
 * @param selectiveThreshold deployed confidence threshold, or null
 * @example
 * ```ts
 * const evaluation = evaluateModel(model, test, [noise, permuted], manifest.ood.thresholds, 0.93)
 * ```
 */
export function evaluateModel(
  model: DeployedModel,
  test: Dataset,
  oodSets: readonly ImageSet[],
  thresholds: Readonly<Partial<Record<OodScoreName, number>>> = {},
  selectiveThreshold: number | null = null,
): ModelEvaluation {
  const classes = model.head.classes
  const run = runModel(model, test)
  const scored = scoreRun(model, run)
  const calibrated = evaluateClassification(matrix(scored.calibratedProbabilities, test.count, classes), test.labels)
  const uncalibrated = evaluateClassification(
    matrix(headOutputs(model.head, run.features, run.count, { samples: 0, seed: 0, temperature: 1 }).probabilities, test.count, classes),
    test.labels,
  )
  const testMonteCarlo = evaluateClassification(matrix(scored.monteCarloProbabilities, test.count, classes), test.labels)
  const ood: Record<string, Partial<Record<OodScoreName, OodScoreEvaluation>>> = {}
  for (const set of oodSets) {
    const outScores = scoreRun(model, runModel(model, set)).scores
    const perScore: Partial<Record<OodScoreName, OodScoreEvaluation>> = {}
    for (const [name, inScores] of Object.entries(scored.scores) as [OodScoreName, Float32Array][]) {
      const out = outScores[name]
      if (out === undefined) continue
      const threshold = thresholds[name]
      perScore[name] = { ...evaluateOodDetection(inScores, out), acceptedAtThreshold: threshold === undefined ? null : fractionAtMost(out, threshold) }
    }
    ood[set.name] = perScore
  }
  const testAcceptance: Partial<Record<OodScoreName, number>> = {}
  for (const [name, inScores] of Object.entries(scored.scores) as [OodScoreName, Float32Array][]) {
    const threshold = thresholds[name]
    if (threshold !== undefined) testAcceptance[name] = fractionAtMost(inScores, threshold)
  }
  const oodMetrics: Record<string, Partial<Record<OodScoreName, OodDetectionMetrics>>> = {}
  for (const [set, perScore] of Object.entries(ood)) {
    oodMetrics[set] = Object.fromEntries(
      Object.entries(perScore).map(([name, { auroc, auprIn, auprOut, fpr95, detectionError }]) => [name, { auroc, auprIn, auprOut, fpr95, detectionError }]),
    )
  }
  return {
    test: { ...calibrated, nllUncalibrated: uncalibrated.nll, eceUncalibrated: uncalibrated.ece, ...(oodSets.length > 0 ? { ood: oodMetrics } : {}) },
    testMonteCarlo,
    ood,
    testAcceptance,
    selective: selectiveThreshold === null ? null : selectiveOn(scored.monteCarloProbabilities, test, classes, selectiveThreshold),
  }
}

function fractionAtMost(values: Float32Array, threshold: number): number {
  let accepted = 0
  for (const v of values) if (v <= threshold) accepted++
  return values.length === 0 ? 0 : accepted / values.length
}

function selectiveOn(probabilities: Float32Array, test: Dataset, classes: number, threshold: number): { coverage: number; risk: number } {
  const { confidence, correct } = topLabelPredictions(matrix(probabilities, test.count, classes), test.labels)
  let accepted = 0
  let errors = 0
  confidence.forEach((value, i) => {
    if (value < threshold) return
    accepted++
    if (correct[i] === 0) errors++
  })
  return { coverage: test.count === 0 ? 0 : accepted / test.count, risk: accepted === 0 ? 0 : errors / accepted }
}
