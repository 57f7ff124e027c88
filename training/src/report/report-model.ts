import type { EvaluationMetrics, OodScoreName, ReliabilityBin } from '@sd-dropout/sdk'
import type { OodScoreEvaluation } from '../evaluate/evaluate-bundle.js'
import type { FgsmEvaluation, ShiftEvaluation } from '../evaluate/robustness.js'
import type { CoveragePoint } from './accuracy-coverage.js'
import type { RocPoint } from './roc-curve.js'
import type { ScoreHistogram } from './score-histogram.js'
import type { HistoryRow } from './training-history.js'

/** Everything an HTML report shows, as plain data (built by `buildReportModel`, drawn by `renderReportHtml`). */
export interface ReportModel {
  readonly model: {
    readonly id: string
    readonly name: string
    readonly method: string
    readonly architecture: string
    readonly createdAt: string
    readonly sha256: string
    readonly classes: number
    readonly featureDim: number
    readonly dropoutRate: number
    readonly temperature: number
    readonly temperatureAtBound: 'lower' | 'upper' | null
    readonly samples: number
    readonly seed: number
    readonly defaultScore: OodScoreName
    readonly targetAcceptance: number
    /** The training data of the provenance (name and items). */
    readonly trainingData: string
    /** The command that made the bundle. */
    readonly command: string
  }
  readonly test: { readonly name: string; readonly items: number }
  /** Served (pbar at S, T_cal) and deterministic (S = 0) metrics on the test set. */
  readonly served: EvaluationMetrics
  readonly deterministic: EvaluationMetrics
  readonly selective: { readonly confidenceThreshold: number; readonly targetRisk: number; readonly coverage: number; readonly risk: number } | null
  /** Per-epoch history from the bundle's provenance, or null when it keeps none. */
  readonly history: readonly HistoryRow[] | null
  /** Reliability bins (15, equal width) of each prediction at T = 1 and at T_cal. */
  readonly reliability: {
    readonly servedBefore: readonly ReliabilityBin[]
    readonly servedAfter: readonly ReliabilityBin[]
    readonly deterministicBefore: readonly ReliabilityBin[]
    readonly deterministicAfter: readonly ReliabilityBin[]
  }
  /** Score histograms (test + each OOD set) with the bundle's threshold. */
  readonly histograms: readonly { readonly score: OodScoreName; readonly histogram: ScoreHistogram; readonly threshold: number | null }[]
  /** ROC curves per OOD set and score. */
  readonly roc: readonly { readonly set: string; readonly curves: readonly { readonly score: OodScoreName; readonly points: readonly RocPoint[]; readonly auroc: number }[] }[]
  /** OOD metrics per set and score. */
  readonly ood: Readonly<Record<string, Readonly<Partial<Record<OodScoreName, OodScoreEvaluation>>>>>
  readonly coverage: readonly CoveragePoint[]
  /** Fraction of clean test items the default OOD score flags (1 - its test acceptance), or null without a threshold. */
  readonly cleanFlagged: number | null
  readonly shifts: readonly ShiftEvaluation[] | null
  readonly fgsm: readonly FgsmEvaluation[] | null
  /** The command that wrote the report. */
  readonly generatedBy: string
}
