import { evaluateClassification, type ClassificationMetrics } from '../calibration/evaluate-classification.js'
import { calibrationLoss, type CalibrationObjective } from '../calibration/calibration-objective.js'
import { fitTemperature, type TemperatureFit } from '../calibration/fit-temperature.js'
import { fitTemperatureBySearch } from '../calibration/fit-temperature-by-search.js'
import { selectiveThreshold, type SelectiveThreshold } from '../calibration/selective-threshold.js'
import { topLabelPredictions } from '../calibration/top-label.js'
import { InputError, ShapeError } from '../errors.js'
import type { CalibrationSpec, EvaluationMetrics, SelectiveSpec } from '../format/manifest.js'
import type { HeadKernel, HeadKernelOutput } from '../kernels/head-kernel.js'
import { matrix } from '../math/matrix.js'
import type { ShrinkageOption } from '../ood/mahalanobis/covariance-shrinkage.js'
import { MahalanobisAccumulator } from '../ood/mahalanobis/mahalanobis-accumulator.js'
import type { MahalanobisStatistics } from '../ood/mahalanobis/mahalanobis-statistics.js'
import { acceptanceThreshold } from '../ood/metrics/acceptance-threshold.js'
import { OOD_SCORE_NAMES, type OodScoreName } from '../ood/score-name.js'
import { mahalanobisScore } from '../ood/scores/mahalanobis-score.js'

/** Pooled features h (N x D, item-major) with their class indices. */
export interface LabelledFeatures {
  readonly features: Float32Array
  readonly labels: ArrayLike<number>
}

/**
 * One fold of cross-fitting: a head trained WITHOUT these items (same shape as the deployed head),
 * and the items. Out-of-fold predictions of all folds together stand in for a held-out set, so
 * every example both trains the deployed head and calibrates it.
 */
export interface HeldOutFold extends LabelledFeatures {
  readonly weight: Float32Array
  readonly bias: Float32Array
}

/** What {@link fitDeployment} needs: a trained head, its training and held-out features, and the deployment settings. */
export interface DeploymentFitInput {
  /** The trained linear head W [D, C] (feature-major), b [C] and the dropout rate p in front of it. */
  readonly head: { readonly weight: Float32Array; readonly bias: Float32Array; readonly featureDim: number; readonly classes: number; readonly dropoutRate: number }
  /** Training features: the Mahalanobis statistics are fitted on them. */
  readonly train: LabelledFeatures
  /**
   * Held-out features (never trained on): T_cal, the thresholds and the metrics come from them.
   * Either one held-out set scored by `head`, or cross-fitting folds each scored by its own head.
   */
  readonly heldOut: LabelledFeatures | readonly HeldOutFold[]
  /** S, the MC-dropout samples the SDK will use (the bundle's `ood.samples`), and its mask seed. */
  readonly samples: number
  readonly seed: number
  /** Fraction of held-out items each OOD threshold accepts, in (0, 1] (e.g. 0.95). */
  readonly targetAcceptance: number
  /** Largest error rate among accepted held-out items for the selective threshold, in [0, 1]. */
  readonly targetRisk: number
  /** The head kernel that computes the MC statistics and scores (the one the model will be served with). */
  readonly kernel: HeadKernel
  /** `require` (default): every class needs training features, else {@link InputError}; `when-every-class-has-data`: omit the statistics instead and say why. */
  readonly mahalanobis?: 'require' | 'when-every-class-has-data'
  /** What T_cal minimises on the held-out items: `nll` (default) or `brier` (see {@link CalibrationObjective}). */
  readonly calibrationObjective?: CalibrationObjective
  /** Shrinkage of the tied covariance (default Ledoit-Wolf). */
  readonly shrinkage?: ShrinkageOption
}

/** Everything a deployment records after training, in the manifest's own shapes where it has one. */
export interface DeploymentFit {
  /** The fit of T_cal on the held-out predictive distribution the SDK serves by default: pbar at S samples and `seed` (z0 when S = 0). */
  readonly temperature: TemperatureFit
  /** The manifest's `calibration`. */
  readonly calibration: CalibrationSpec
  /** Threshold per fitted score at `targetAcceptance` of held-out items (S, seed, T_cal); MC scores only when S >= 2, `mahalanobis` only with statistics. */
  readonly thresholds: Readonly<Partial<Record<OodScoreName, number>>>
  readonly mahalanobis: MahalanobisStatistics | null
  /** Why the statistics were omitted (only with `mahalanobis: 'when-every-class-has-data'`), else null. */
  readonly mahalanobisOmitted: { readonly reason: string; readonly classesWithoutData: readonly number[] } | null
  /** The selective threshold on the MC mean probability at S (Infinity when no threshold meets the risk). */
  readonly selective: SelectiveThreshold
  /** The manifest's `selective` (null when the threshold is Infinity). */
  readonly selectiveSpec: SelectiveSpec | null
  /** Held-out metrics of what `predict` returns by default (pbar at S, seed and T_cal), plus its NLL and ECE at T = 1. */
  readonly metrics: EvaluationMetrics
  /** Held-out metrics of the deterministic prediction softmax(z0 / T_cal) (`samples: 0`). */
  readonly deterministicMetrics: ClassificationMetrics
  readonly trainItems: number
  readonly heldOutItems: number
}

/**
 * Fits everything a deployment needs after training a head (DESIGN section 2), at the feature
 * level, for the trainer and for fine-tuning alike:
 * 1. Mahalanobis class means and shrunk tied precision on the TRAINING features;
 * 2. T_cal by minimising the held-out NLL (or Brier score, `calibrationObjective`) of the
 *    distribution the SDK serves by default: the MC mean pbar = mean_s softmax(z_s / T) at S
 *    samples and mask seed `seed` (`fitTemperatureBySearch`; with S = 0 and NLL the deterministic
 *    logits z0, `fitTemperature`). Fitting on z0 and serving pbar
 *    leaves a plain-CE model's MC output badly calibrated (measured: ECE 14.6% at S = 32, see
 *    docs/results/sd-dropout.md), so the temperature is fitted where it is used;
 * 3. for every OOD score the threshold accepting `targetAcceptance` of held-out items, with the
 *    scores computed exactly as the SDK serves them: S MC-dropout samples, mask seed `seed`, T_cal;
 * 4. the selective-prediction threshold on the held-out MC mean probability for `targetRisk`;
 * 5. held-out metrics (`evaluateClassification`). These are measured on the data T_cal and the
 *    thresholds were fitted on: they describe the fit, not generalisation.
 * With cross-fitting folds as `heldOut`, steps 2-5 use every fold's out-of-fold predictions (each
 * item scored by the head that did not train on it) as one held-out set.
 *
 * @throws {ShapeError} / {InputError} for mismatched or empty inputs, or (with `mahalanobis: 'require'`) a class without training features.
 * @example
 * ```ts
 * const fit = fitDeployment({ head, train, heldOut, samples: 32, seed: 0, targetAcceptance: 0.95, targetRisk: 0.01, kernel })
 * fit.calibration.temperature // T_cal
 * ```
 */
export function fitDeployment(input: DeploymentFitInput): DeploymentFit {
  const { head, heldOut, samples, seed } = input
  const objective = input.calibrationObjective ?? 'nll'
  const { featureDim: d, classes } = head
  const folds: readonly HeldOutFold[] = Array.isArray(heldOut) ? heldOut : [{ ...(heldOut as LabelledFeatures), weight: head.weight, bias: head.bias }]
  if (folds.length === 0) throw new InputError('heldOut: no folds; the deployment fit needs at least one held-out item')
  folds.forEach((fold, k) => checkSplit(folds.length > 1 ? `heldOut fold ${k}` : 'heldOut', fold, d))
  const labels = Int32Array.from(folds.flatMap((fold) => Array.from(fold.labels)))
  const heldOutItems = labels.length
  if (heldOutItems === 0) throw new InputError('heldOut: no items; the deployment fit needs at least one', { split: 'heldOut' })
  const heldOutFeatures = concatenate(folds.map((fold) => fold.features))
  const trainItems = checkSplit('train', input.train, d)
  const { mahalanobis, mahalanobisOmitted } = fitMahalanobis(input)
  const prepared = folds.map((fold) => input.kernel.prepare({ ...head, weight: fold.weight, bias: fold.bias }))
  try {
    const run = (s: number, temperature: number): HeadKernelOutput =>
      joinOutputs(prepared.map((p, k) => p.run({ features: folds[k]?.features as Float32Array, batch: folds[k]?.labels.length ?? 0, dropoutRate: head.dropoutRate, samples: s, seed, temperature })))
    const raw = run(0, 1)
    const temperature =
      samples === 0 && objective === 'nll'
        ? fitTemperature(matrix(raw.logits, heldOutItems, classes), labels)
        : fitTemperatureBySearch((t) => calibrationLoss(objective, matrix(run(samples, t).probabilities, heldOutItems, classes), labels))
    const deterministic = run(0, temperature.temperature)
    const served = samples === 0 ? deterministic : run(samples, temperature.temperature)
    const servedUncalibrated = samples === 0 ? raw : run(samples, 1)

    const thresholds: Partial<Record<OodScoreName, number>> = {}
    for (const name of OOD_SCORE_NAMES) {
      const scores = name === 'mahalanobis' ? mahalanobisScores(heldOutFeatures, heldOutItems, d, mahalanobis) : served.scores[name]
      if (scores !== null) thresholds[name] = acceptanceThreshold(scores, input.targetAcceptance)
    }
    const top = topLabelPredictions(matrix(served.probabilities, heldOutItems, classes), labels)
    const selective = selectiveThreshold(top.confidence, top.correct, input.targetRisk)
    const uncalibrated = evaluateClassification(matrix(servedUncalibrated.probabilities, heldOutItems, classes), labels)
    const metrics = {
      ...evaluateClassification(matrix(served.probabilities, heldOutItems, classes), labels),
      nllUncalibrated: uncalibrated.nll,
      eceUncalibrated: uncalibrated.ece,
    }
    return {
      temperature,
      calibration: { temperature: temperature.temperature, atBound: temperature.atBound, fittedOn: heldOutItems },
      thresholds,
      mahalanobis,
      mahalanobisOmitted,
      selective,
      selectiveSpec: Number.isFinite(selective.threshold)
        ? { targetRisk: input.targetRisk, confidenceThreshold: Math.min(1, selective.threshold), coverage: selective.coverage, risk: selective.risk }
        : null,
      metrics,
      deterministicMetrics: evaluateClassification(matrix(deterministic.probabilities, heldOutItems, classes), labels),
      trainItems,
      heldOutItems,
    }
  } finally {
    for (const p of prepared) p.dispose()
  }
}

function concatenate(arrays: readonly Float32Array[]): Float32Array {
  if (arrays.length === 1) return arrays[0] as Float32Array
  const out = new Float32Array(arrays.reduce((n, a) => n + a.length, 0))
  let offset = 0
  for (const a of arrays) {
    out.set(a, offset)
    offset += a.length
  }
  return out
}

/** The outputs of several runs (cross-fitting folds) as one, items in fold order. */
function joinOutputs(outputs: readonly HeadKernelOutput[]): HeadKernelOutput {
  const first = outputs[0] as HeadKernelOutput
  if (outputs.length === 1) return first
  const join = (pick: (o: HeadKernelOutput) => Float32Array): Float32Array => concatenate(outputs.map(pick))
  const mc = (pick: (o: HeadKernelOutput) => Float32Array | null): Float32Array | null => (first.samples >= 2 ? concatenate(outputs.map((o) => pick(o) as Float32Array)) : null)
  return {
    batch: outputs.reduce((n, o) => n + o.batch, 0),
    classes: first.classes,
    samples: first.samples,
    logits: join((o) => o.logits),
    probabilities: join((o) => o.probabilities),
    predictiveEntropy: join((o) => o.predictiveEntropy),
    expectedEntropy: join((o) => o.expectedEntropy),
    mutualInformation: join((o) => o.mutualInformation),
    variance: join((o) => o.variance),
    scores: {
      msp: join((o) => o.scores.msp),
      'max-logit': join((o) => o.scores['max-logit']),
      energy: join((o) => o.scores.energy),
      entropy: join((o) => o.scores.entropy),
      'mc-entropy': mc((o) => o.scores['mc-entropy']),
      'mutual-information': mc((o) => o.scores['mutual-information']),
    },
  }
}

function checkSplit(what: string, split: LabelledFeatures, d: number): number {
  const items = split.labels.length
  if (split.features.length !== items * d) throw new ShapeError(`${what} features`, `N x D = ${items} x ${d} values (one row per label)`, `${split.features.length} values`)
  if (items === 0) throw new InputError(`${what}: no items; the deployment fit needs at least one`, { split: what })
  return items
}

function fitMahalanobis(input: DeploymentFitInput): Pick<DeploymentFit, 'mahalanobis' | 'mahalanobisOmitted'> {
  const { featureDim: d, classes } = input.head
  const accumulator = new MahalanobisAccumulator(d, classes)
  accumulator.add(input.train.features, input.train.labels)
  const missing = Array.from(accumulator.classCounts()).flatMap((count, c) => (count === 0 ? [c] : []))
  if (missing.length > 0 && input.mahalanobis === 'when-every-class-has-data') {
    return { mahalanobis: null, mahalanobisOmitted: { reason: `classes ${missing.join(', ')} have no training features, so they have no class mean`, classesWithoutData: missing } }
  }
  return { mahalanobis: accumulator.finish(input.shrinkage === undefined ? {} : { shrinkage: input.shrinkage }), mahalanobisOmitted: null }
}

function mahalanobisScores(features: Float32Array, items: number, d: number, statistics: MahalanobisStatistics | null): Float32Array | null {
  if (statistics === null) return null
  return Float32Array.from({ length: items }, (_, i) => mahalanobisScore(features.subarray(i * d, (i + 1) * d), statistics))
}
