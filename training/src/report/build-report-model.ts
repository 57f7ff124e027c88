import { matrix, OOD_SCORE_NAMES, reliabilityDiagram, type OodScoreName, type SdModel } from '@sd-dropout/sdk'
import type { Dataset } from '../data/dataset.js'
import type { DetailedEvaluation } from '../evaluate/evaluate-bundle.js'
import type { FgsmEvaluation, ShiftEvaluation } from '../evaluate/robustness.js'
import { accuracyCoverage } from './accuracy-coverage.js'
import type { ReportModel } from './report-model.js'
import { rocCurve } from './roc-curve.js'
import { scoreHistogram } from './score-histogram.js'
import { trainingHistory } from './training-history.js'

/** What a report is built from besides the model: the evaluation and its runs, and the optional robustness results. */
export interface ReportSources {
  readonly detailed: DetailedEvaluation
  readonly test: Dataset
  readonly shifts: readonly ShiftEvaluation[] | null
  readonly fgsm: readonly FgsmEvaluation[] | null
  /** The manifest's `backbone.architecture` (`cnn`, `imported`, ...). */
  readonly architecture: string
  /** The command that writes the report (shown in it). */
  readonly generatedBy: string
}

/**
 * Gathers what a report shows from a loaded model (its manifest: T_cal, S, thresholds, provenance
 * with the training history) and an evaluation's runs: reliability bins of the served and the
 * deterministic prediction at T = 1 and at T_cal, histograms of the default score (and of `msp`,
 * the baseline, when the default is another) over the test and OOD sets, ROC curves of every score
 * against every OOD set, and the accuracy-coverage curve of the served prediction.
 *
 * @example
 * ```ts
 * const report = buildReportModel(model, { detailed, test, shifts: null, fgsm: null, architecture: 'cnn', generatedBy: 'sd-dropout evaluate --report r.html' })
 * ```
 */
export function buildReportModel(model: SdModel, sources: ReportSources): ReportModel {
  const { info } = model
  const { detailed, test } = sources
  const run = detailed.test
  const classes = info.labels.length
  const bins = (probabilities: Float32Array) => reliabilityDiagram(matrix(probabilities, run.count, classes), test.labels, { bins: 15 })
  const scores: OodScoreName[] = info.ood.score === 'msp' ? ['msp'] : [info.ood.score, 'msp']
  const oodNames = Object.keys(detailed.ood)
  const histograms = scores.flatMap((score) => {
    const inScores = run.scores[score]
    if (inScores === undefined) return []
    const sets = [{ name: `${test.name} (test)`, scores: inScores }, ...oodNames.flatMap((name) => {
      const out = detailed.ood[name]?.scores[score]
      return out === undefined ? [] : [{ name, scores: out }]
    })]
    return [{ score, histogram: scoreHistogram(sets), threshold: info.ood.thresholds[score] ?? null }]
  })
  const roc = oodNames.map((set) => ({
    set,
    curves: OOD_SCORE_NAMES.flatMap((score) => {
      const inScores = run.scores[score]
      const outScores = detailed.ood[set]?.scores[score]
      const auroc = detailed.evaluation.ood[set]?.[score]?.auroc
      return inScores === undefined || outScores === undefined || auroc === undefined ? [] : [{ score, points: rocCurve(inScores, outScores), auroc }]
    }),
  }))
  const selective = info.selective === null || detailed.evaluation.selective === null ? null : { confidenceThreshold: info.selective.confidenceThreshold, targetRisk: info.selective.targetRisk, ...detailed.evaluation.selective }
  const provenance = info.provenance
  const acceptance = detailed.evaluation.testAcceptance[info.ood.score]
  return {
    model: {
      id: info.id,
      name: info.name,
      method: provenance.method,
      architecture: sources.architecture,
      createdAt: info.createdAt,
      sha256: info.sha256,
      classes,
      featureDim: info.featureDim,
      dropoutRate: info.dropoutRate,
      temperature: info.calibration.temperature,
      temperatureAtBound: info.calibration.atBound,
      samples: info.ood.samples,
      seed: info.ood.seed,
      defaultScore: info.ood.score,
      targetAcceptance: info.ood.targetAcceptance,
      trainingData: `${provenance.data.name} (${provenance.data.items} items)`,
      command: provenance.command,
    },
    test: { name: test.name, items: test.count },
    served: detailed.evaluation.test,
    deterministic: detailed.evaluation.testDeterministic,
    selective,
    history: trainingHistory(provenance.hyperParameters),
    reliability: {
      servedBefore: bins(run.servedUncalibrated),
      servedAfter: bins(run.served.probabilities),
      deterministicBefore: bins(run.deterministicUncalibrated),
      deterministicAfter: bins(run.deterministic.probabilities),
    },
    histograms,
    roc,
    ood: detailed.evaluation.ood,
    coverage: accuracyCoverage(matrix(run.served.probabilities, run.count, classes), test.labels),
    cleanFlagged: acceptance === undefined ? null : 1 - acceptance,
    shifts: sources.shifts,
    fgsm: sources.fgsm,
    generatedBy: sources.generatedBy,
  }
}
