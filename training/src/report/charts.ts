import type { ReliabilityBin } from '@sd-dropout/sdk'
import type { TopLevelSpec } from 'vega-lite'
import type { FgsmEvaluation, ShiftEvaluation } from '../evaluate/robustness.js'
import type { CoveragePoint } from './accuracy-coverage.js'
import type { RocPoint } from './roc-curve.js'
import type { ScoreHistogram } from './score-histogram.js'
import type { HistoryRow } from './training-history.js'

/** Size of one chart panel (pixels) and the shared look of every chart. */
const WIDTH = 250
const HEIGHT = 190
const CONFIG = {
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  view: { stroke: '#ccc' },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, orient: 'bottom' as const, direction: 'vertical' as const, labelLimit: 320 },
  title: { fontSize: 13, anchor: 'start' as const },
}

/**
 * Training curves from a run's history: training loss and validation NLL, training and validation
 * accuracy, per epoch (two panels).
 *
 * @example
 * ```ts
 * const svg = await renderSvg(trainingCurvesChart(rows), 'history')
 * ```
 */
export function trainingCurvesChart(rows: readonly HistoryRow[]): TopLevelSpec {
  const long = (pairs: readonly (readonly [string, (row: HistoryRow) => number | null])[]) =>
    rows.flatMap((row) => pairs.flatMap(([series, value]) => (value(row) === null ? [] : [{ epoch: row.epoch, series, value: value(row) }])))
  const panel = (title: string, axis: string, values: Record<string, unknown>[]) => ({
    title,
    width: WIDTH,
    height: HEIGHT,
    data: { values },
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative' as const, title: axis, scale: { zero: false } },
      color: { field: 'series', type: 'nominal' as const, title: null },
    },
  })
  return {
    config: CONFIG,
    hconcat: [
      panel('Loss', 'nats', long([['training loss', (r) => r.loss], ['validation NLL', (r) => r.validationNll]])),
      panel('Accuracy', 'accuracy', long([['training', (r) => r.accuracy], ['validation', (r) => r.validationAccuracy]])),
    ],
    resolve: { scale: { color: 'independent' } },
  }
}

/**
 * Reliability diagrams (one panel each): per equal-width confidence bin, the accuracy of its items
 * as a bar spanning the bin, the point (mean confidence, accuracy), and the diagonal of perfect
 * calibration; below, the number of items per bin (log scale).
 *
 * @example
 * ```ts
 * reliabilityChart([{ title: 'T = 1', bins: before }, { title: 'T_cal = 0.65', bins: after }])
 * ```
 */
export function reliabilityChart(panels: readonly { readonly title: string; readonly bins: readonly ReliabilityBin[] }[]): TopLevelSpec {
  const x = (title: string | null) => ({ field: 'lower', type: 'quantitative' as const, scale: { domain: [0, 1] }, title })
  return {
    config: CONFIG,
    hconcat: panels.map(({ title, bins }) => {
      const values = bins.filter((bin) => bin.count > 0).map((bin) => ({ lower: bin.lower, upper: bin.upper, zero: 0, accuracy: bin.accuracy, confidence: bin.confidence, count: bin.count }))
      return {
        vconcat: [
          {
            title,
            width: HEIGHT,
            height: HEIGHT,
            layer: [
              {
                data: { values },
                layer: [
                  {
                    mark: { type: 'rect' as const, color: '#4c78a8', opacity: 0.75, stroke: 'white' },
                    encoding: { x: x(null), x2: { field: 'upper' }, y: { field: 'zero', type: 'quantitative' as const, scale: { domain: [0, 1] }, title: 'accuracy' }, y2: { field: 'accuracy' } },
                  },
                  { mark: { type: 'point' as const, filled: true, color: '#e45756', size: 30 }, encoding: { x: { field: 'confidence', type: 'quantitative' as const }, y: { field: 'accuracy', type: 'quantitative' as const } } },
                ],
              },
              {
                data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] },
                mark: { type: 'line' as const, color: '#888', strokeDash: [4, 3] },
                encoding: { x: { field: 'x', type: 'quantitative' as const }, y: { field: 'y', type: 'quantitative' as const } },
              },
            ],
          },
          {
            width: HEIGHT,
            height: 55,
            data: { values },
            mark: { type: 'rect' as const, color: '#9ab', stroke: 'white' },
            encoding: { x: x('confidence'), x2: { field: 'upper' }, y: { field: 'count', type: 'quantitative' as const, scale: { type: 'log' as const }, title: 'items', axis: { tickCount: 3 } } },
          },
        ],
      }
    }),
  }
}

/**
 * Step histograms of an OOD score: the test set and every OOD set on shared bins (fractions of each
 * set), with the bundle's threshold as a vertical rule.
 *
 * @example
 * ```ts
 * histogramChart('mahalanobis', scoreHistogram(sets), threshold)
 * ```
 */
export function histogramChart(score: string, histogram: ScoreHistogram, threshold: number | null): TopLevelSpec {
  const values = histogram.sets.flatMap((set) => set.fractions.map((fraction, b) => ({ set: set.name, start: histogram.edges[b], end: histogram.edges[b + 1], fraction })))
  const at = threshold === null ? null : histogram.scale === 'log10' ? (threshold > 0 ? Math.log10(threshold) : null) : threshold
  const title = histogram.scale === 'log10' ? `log10 ${score} score` : `${score} score`
  return {
    config: CONFIG,
    width: 2 * WIDTH,
    height: HEIGHT,
    title: `${score}: score distributions (higher = more OOD)`,
    layer: [
      {
        data: { values },
        mark: { type: 'rect' as const, opacity: 0.45 },
        encoding: {
          x: { field: 'start', type: 'quantitative' as const, title, scale: { zero: false, nice: false } },
          x2: { field: 'end' },
          y: { field: 'fraction', type: 'quantitative' as const, title: 'fraction of set', stack: null },
          color: { field: 'set', type: 'nominal' as const, title: null, sort: histogram.sets.map((set) => set.name) },
        },
      },
      ...(at === null
        ? []
        : [{ data: { values: [{ at }] }, mark: { type: 'rule' as const, color: 'black', strokeDash: [5, 3] }, encoding: { x: { field: 'at', type: 'quantitative' as const } } }]),
    ],
  }
}

/**
 * ROC curves of every OOD score, one panel per OOD set (OOD = positive), with the chance diagonal.
 *
 * @example
 * ```ts
 * rocChart([{ set: 'uniform-noise', curves: [{ score: 'msp', points, auroc: 0.97 }] }])
 * ```
 */
export function rocChart(sets: readonly { readonly set: string; readonly curves: readonly { readonly score: string; readonly points: readonly RocPoint[]; readonly auroc: number }[] }[]): TopLevelSpec {
  return {
    config: CONFIG,
    hconcat: sets.map(({ set, curves }) => ({
      title: set,
      width: HEIGHT,
      height: HEIGHT,
      layer: [
        {
          data: { values: curves.flatMap(({ score, points, auroc }) => points.map((p, order) => ({ score: `${score} (${auroc.toFixed(3)})`, order, fpr: p.falsePositiveRate, tpr: p.truePositiveRate }))) },
          mark: { type: 'line' as const, strokeWidth: 1.5 },
          encoding: {
            x: { field: 'fpr', type: 'quantitative' as const, title: 'FPR (test flagged)', scale: { domain: [0, 1] } },
            y: { field: 'tpr', type: 'quantitative' as const, title: 'TPR (OOD flagged)', scale: { domain: [0, 1] } },
            color: { field: 'score', type: 'nominal' as const, title: 'score (AUROC)' },
            order: { field: 'order', type: 'quantitative' as const },
          },
        },
        { data: { values: [{ x: 0, y: 0 }, { x: 1, y: 1 }] }, mark: { type: 'line' as const, color: '#aaa', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' as const }, y: { field: 'y', type: 'quantitative' as const } } },
      ],
    })),
    resolve: { scale: { color: 'independent' } },
  }
}

/**
 * The accuracy-coverage curve of selective prediction, with the bundle's selective threshold marked.
 *
 * @example
 * ```ts
 * coverageChart(points, { coverage: 0.986, accuracy: 0.991 })
 * ```
 */
export function coverageChart(points: readonly CoveragePoint[], selective: { readonly coverage: number; readonly accuracy: number } | null): TopLevelSpec {
  return {
    config: CONFIG,
    width: 2 * WIDTH,
    height: HEIGHT,
    title: 'Accuracy among answered items vs coverage (served confidence)',
    layer: [
      {
        data: { values: points.map((p) => ({ coverage: p.coverage, accuracy: p.accuracy })) },
        mark: { type: 'line' as const, color: '#4c78a8' },
        encoding: { x: { field: 'coverage', type: 'quantitative' as const, scale: { domain: [0, 1] } }, y: { field: 'accuracy', type: 'quantitative' as const, scale: { zero: false } } },
      },
      ...(selective === null
        ? []
        : [
            {
              data: { values: [selective] },
              mark: { type: 'point' as const, filled: true, color: '#e45756', size: 70, shape: 'diamond' },
              encoding: { x: { field: 'coverage', type: 'quantitative' as const }, y: { field: 'accuracy', type: 'quantitative' as const } },
            },
          ]),
    ],
  }
}

/**
 * Accuracy and ECE of the served prediction vs corruption severity, one line per corruption
 * (severity 0 = the clean test set).
 *
 * @example
 * ```ts
 * shiftChart(rows, { accuracy: 0.98, ece: 0.01 })
 * ```
 */
export function shiftChart(rows: readonly ShiftEvaluation[], clean: { readonly accuracy: number; readonly ece: number }): TopLevelSpec {
  const shifts = [...new Set(rows.map((row) => row.shift))]
  const values = [...shifts.map((shift) => ({ shift, severity: 0, accuracy: clean.accuracy, ece: clean.ece })), ...rows.map(({ shift, severity, accuracy, ece }) => ({ shift, severity, accuracy, ece }))]
  const panel = (field: 'accuracy' | 'ece', title: string) => ({
    title,
    width: WIDTH,
    height: HEIGHT,
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'severity', type: 'quantitative' as const, axis: { tickMinStep: 1 } },
      y: { field, type: 'quantitative' as const, title: field === 'ece' ? 'ECE' : 'accuracy', scale: { domain: [0, 1] } },
      color: { field: 'shift', type: 'nominal' as const, title: null },
    },
  })
  return { config: CONFIG, data: { values }, hconcat: [panel('accuracy', 'Accuracy under shift'), panel('ece', 'Calibration error under shift')] }
}

/**
 * Accuracy of the served prediction vs FGSM epsilon (epsilon 0 = the clean test set).
 *
 * @example
 * ```ts
 * fgsmChart(rows, { accuracy: 0.98, ece: 0.01 })
 * ```
 */
export function fgsmChart(rows: readonly FgsmEvaluation[], clean: { readonly accuracy: number; readonly ece: number }): TopLevelSpec {
  const values = [{ epsilon: 0, metric: 'accuracy', value: clean.accuracy }, { epsilon: 0, metric: 'ECE', value: clean.ece }, ...rows.flatMap((row) => [{ epsilon: row.epsilon, metric: 'accuracy', value: row.accuracy }, { epsilon: row.epsilon, metric: 'ECE', value: row.ece }])]
  return {
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    title: 'FGSM: served accuracy and ECE vs epsilon',
    data: { values },
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'epsilon', type: 'quantitative' as const, title: 'epsilon (pixel units)' },
      y: { field: 'value', type: 'quantitative' as const, title: null, scale: { domain: [0, 1] } },
      color: { field: 'metric', type: 'nominal' as const, title: null },
    },
  }
}
