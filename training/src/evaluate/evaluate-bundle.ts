import {
  evaluateClassification,
  evaluateOodDetection,
  matrix,
  topLabelPredictions,
  type EvaluationMetrics,
  type OodDetectionMetrics,
  type OodScoreName,
  type SdModel,
} from '@sd-dropout/sdk'
import type { Dataset } from '../data/dataset.js'
import type { ImageSet } from '../data/synthetic-ood.js'
import { withBundleModels } from './open-bundle-model.js'
import { runBundle, type BundleRun } from './run-bundle.js'

/** OOD detection of one OOD set by one score, plus how the bundle's threshold behaves on it. */
export interface OodScoreEvaluation extends OodDetectionMetrics {
  /** Fraction of this OOD set the bundle's threshold accepts as in-distribution (null when the bundle has no threshold for the score). */
  readonly acceptedAtThreshold: number | null
}

/** Everything `evaluate` recomputes from data. */
export interface BundleEvaluation {
  /** The headline: metrics of what `predict` serves by default (pbar at the bundle's S and seed, T_cal), with NLL and ECE of the same pbar at T = 1. */
  readonly test: EvaluationMetrics
  /** The deterministic prediction (S = 0): softmax(z0 / T_cal), with NLL and ECE of softmax(z0). */
  readonly testDeterministic: EvaluationMetrics
  /** Per OOD set, per score: detection metrics (OOD = positive) and acceptance at the bundle's threshold. */
  readonly ood: Readonly<Record<string, Readonly<Partial<Record<OodScoreName, OodScoreEvaluation>>>>>
  /** Fraction of test items each of the bundle's OOD thresholds accepts (its target: `ood.targetAcceptance`). */
  readonly testAcceptance: Readonly<Partial<Record<OodScoreName, number>>>
  /** Coverage and error rate among answered test items at the bundle's selective threshold (on the served pbar), or null without one. */
  readonly selective: { readonly coverage: number; readonly risk: number } | null
}

/** An evaluation with the runs it was computed from (what a report plots). */
export interface DetailedEvaluation {
  readonly evaluation: BundleEvaluation
  /** The test set's run: served and deterministic predictions, at T_cal and T = 1, and every score. */
  readonly test: BundleRun
  /** Each OOD set's run, by set name. */
  readonly ood: Readonly<Record<string, BundleRun>>
}

/**
 * Evaluates a bundle loaded by the SDK on labelled test data and unlabelled OOD sets, through the
 * user's path (see `runBundle`): accuracy, NLL, Brier, ECE, adaptive ECE, MCE, AURC and E-AURC of
 * the served and of the deterministic prediction (each also at T = 1 for NLL and ECE), and for
 * every OOD set and score AUROC, AUPR-in/out, FPR95 and detection error. Only parameters come from
 * the bundle (weights, T_cal, S, seed, thresholds); every number is computed from the data.
 *
 * @param uncalibrated the same bundle loaded with T_cal = 1 (`bundleAtTemperature(bytes, 1)`)
 * @example
 * ```ts
 * const evaluation = await evaluateBundle(model, uncalibrated, test, [noise, permuted])
 * evaluation.test.accuracy // what users get
 * ```
 */
export async function evaluateBundle(model: SdModel, uncalibrated: SdModel, test: Dataset, oodSets: readonly ImageSet[]): Promise<BundleEvaluation> {
  return (await evaluateBundleDetailed(model, uncalibrated, test, oodSets)).evaluation
}

/**
 * {@link evaluateBundle}, keeping the runs behind the metrics (probabilities, scores) for plots.
 *
 * @example
 * ```ts
 * const { evaluation, test, ood } = await evaluateBundleDetailed(model, uncalibrated, test, oodSets)
 * test.served.probabilities // N x C, what predict returns
 * ```
 */
export async function evaluateBundleDetailed(model: SdModel, uncalibrated: SdModel, test: Dataset, oodSets: readonly ImageSet[]): Promise<DetailedEvaluation> {
  const { thresholds } = model.info.ood
  const run = await runBundle(model, uncalibrated, test)
  const metricsOf = (calibrated: Float32Array, raw: Float32Array): EvaluationMetrics => {
    const rawMetrics = evaluateClassification(matrix(raw, run.count, run.served.classes), test.labels)
    return { ...evaluateClassification(matrix(calibrated, run.count, run.served.classes), test.labels), nllUncalibrated: rawMetrics.nll, eceUncalibrated: rawMetrics.ece }
  }
  const ood: Record<string, Partial<Record<OodScoreName, OodScoreEvaluation>>> = {}
  const oodRuns: Record<string, BundleRun> = {}
  for (const set of oodSets) {
    const oodRun = await runBundle(model, uncalibrated, set)
    oodRuns[set.name] = oodRun
    const perScore: Partial<Record<OodScoreName, OodScoreEvaluation>> = {}
    for (const [name, inScores] of Object.entries(run.scores) as [OodScoreName, Float32Array][]) {
      const out = oodRun.scores[name]
      if (out === undefined) continue
      const threshold = thresholds[name]
      perScore[name] = { ...evaluateOodDetection(inScores, out), acceptedAtThreshold: threshold === undefined ? null : fractionAtMost(out, threshold) }
    }
    ood[set.name] = perScore
  }
  const testAcceptance: Partial<Record<OodScoreName, number>> = {}
  for (const [name, inScores] of Object.entries(run.scores) as [OodScoreName, Float32Array][]) {
    const threshold = thresholds[name]
    if (threshold !== undefined) testAcceptance[name] = fractionAtMost(inScores, threshold)
  }
  const selective = model.info.selective
  const evaluation = {
    test: metricsOf(run.served.probabilities, run.servedUncalibrated),
    testDeterministic: metricsOf(run.deterministic.probabilities, run.deterministicUncalibrated),
    ood,
    testAcceptance,
    selective: selective === null ? null : selectiveOn(run, test.labels, selective.confidenceThreshold),
  }
  return { evaluation, test: run, ood: oodRuns }
}

/**
 * Opens bundle bytes with the SDK (and its T = 1 copy), evaluates them (see {@link evaluateBundle})
 * and frees both models.
 *
 * @example
 * ```ts
 * const evaluation = await evaluateBundleBytes(await readBundleBytes('model.sdd'), test, oodSets)
 * ```
 */
export function evaluateBundleBytes(bytes: Uint8Array, test: Dataset, oodSets: readonly ImageSet[]): Promise<BundleEvaluation> {
  return withBundleModels(bytes, (model, uncalibrated) => evaluateBundle(model, uncalibrated, test, oodSets))
}

/**
 * The manifest form of an evaluation's headline: the served metrics with the OOD detection
 * metrics of every set and score (`EvaluationMetrics.ood`).
 *
 * @example
 * ```ts
 * const metrics = { test: manifestMetrics(evaluation) }
 * ```
 */
export function manifestMetrics(evaluation: BundleEvaluation): EvaluationMetrics {
  const sets = Object.entries(evaluation.ood)
  if (sets.length === 0) return evaluation.test
  const ood = Object.fromEntries(
    sets.map(([set, perScore]) => [
      set,
      Object.fromEntries(Object.entries(perScore).map(([name, { auroc, auprIn, auprOut, fpr95, detectionError }]) => [name, { auroc, auprIn, auprOut, fpr95, detectionError }])),
    ]),
  )
  return { ...evaluation.test, ood }
}

function fractionAtMost(values: Float32Array, threshold: number): number {
  let accepted = 0
  for (const v of values) if (v <= threshold) accepted++
  return values.length === 0 ? 0 : accepted / values.length
}

function selectiveOn(run: BundleRun, labels: ArrayLike<number>, threshold: number): { coverage: number; risk: number } {
  const { confidence, correct } = topLabelPredictions(matrix(run.served.probabilities, run.count, run.served.classes), labels)
  let accepted = 0
  let errors = 0
  confidence.forEach((value, i) => {
    if (value < threshold) return
    accepted++
    if (correct[i] === 0) errors++
  })
  return { coverage: run.count === 0 ? 0 : accepted / run.count, risk: accepted === 0 ? 0 : errors / accepted }
}
