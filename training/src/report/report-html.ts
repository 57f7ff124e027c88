import type { EvaluationMetrics, ReliabilityBin } from '@sd-dropout/sdk'
import { coverageChart, fgsmChart, histogramChart, reliabilityChart, rocChart, shiftChart, trainingCurvesChart } from './charts.js'
import { renderSvg } from './render-svg.js'
import type { ReportModel } from './report-model.js'
import { REPORT_CSS } from './report-style.js'

/**
 * Renders a report as ONE self-contained HTML page: inline CSS, every chart an inline SVG drawn by
 * Vega-Lite (see `renderSvg`), tables for the numbers, no script and no external resource (a
 * Content-Security-Policy of `default-src 'none'` makes the browser refuse any it would try). The
 * page is deterministic for a given model and evaluation (no clock, no random ids).
 *
 * @example
 * ```ts
 * writeFileSync('report.html', await renderReportHtml(buildReportModel(model, sources)))
 * ```
 */
export async function renderReportHtml(report: ReportModel): Promise<string> {
  const m = report.model
  const served = report.served
  const clean = { accuracy: served.accuracy, ece: served.ece }
  const sections: string[] = []

  sections.push(section('summary', 'Summary', [
    `<p>${esc(m.method)} model <code>${esc(m.id)}</code> (${esc(m.architecture)}, D = ${m.featureDim}, ${m.classes} classes), evaluated on ${esc(report.test.name)} (${report.test.items} items) through the SDK as applications run it. The served prediction is the mean of S = ${m.samples} MC-dropout samples (p = ${fmt(m.dropoutRate, 2)}, mask seed ${m.seed}) at T_cal = ${fmt(m.temperature, 4)}${m.temperatureAtBound === null ? '' : ` (at the ${m.temperatureAtBound} bound of the fit)`}.</p>`,
    metricsTable(served, report.deterministic),
    report.selective === null
      ? '<p>No selective-prediction threshold in this bundle.</p>'
      : `<p>Selective prediction: answering only when the served confidence is at least ${fmt(report.selective.confidenceThreshold, 4)} (fitted for at most ${pct(report.selective.targetRisk)} errors on validation data) answers ${pct(report.selective.coverage)} of the test items with ${pct(report.selective.risk)} errors.</p>`,
    facts([
      ['model id', m.id],
      ['bundle SHA-256', m.sha256],
      ['created', m.createdAt],
      ['training data', m.trainingData],
      ['made by', m.command],
      ['default OOD score', `${m.defaultScore} (thresholds accept ${pct(m.targetAcceptance)} of validation items)`],
    ]),
  ]))

  sections.push(section('training', 'Training curves', report.history === null
    ? ['<p class="note">This bundle keeps no training history (its provenance has no per-epoch records: an imported model, or one made by another tool).</p>']
    : [await figure(trainingCurvesChart(report.history), 'history', 'Per epoch: mean training loss and validation NLL (no-dropout logits), training and validation accuracy, from the bundle\'s provenance.')]))

  const rel = report.reliability
  sections.push(section('calibration', 'Calibration: reliability diagrams before and after T_cal', [
    `<p>Bars: accuracy of the test items in each of 15 equal-width confidence bins; red points: their mean confidence; dashed: perfect calibration. ECE of the served prediction: ${pct(served.eceUncalibrated ?? Number.NaN)} at T = 1, ${pct(served.ece)} at T_cal = ${fmt(m.temperature, 4)}; deterministic: ${pct(report.deterministic.eceUncalibrated ?? Number.NaN)} and ${pct(report.deterministic.ece)}.</p>`,
    await figure(reliabilityChart([reliabilityPanel('served, T = 1', rel.servedBefore), reliabilityPanel(`served, T_cal = ${fmt(m.temperature, 3)}`, rel.servedAfter)]), 'reliability-served', `Served prediction (mean of ${m.samples} MC-dropout samples) before and after temperature scaling.`),
    await figure(reliabilityChart([reliabilityPanel('deterministic, T = 1', rel.deterministicBefore), reliabilityPanel(`deterministic, T_cal = ${fmt(m.temperature, 3)}`, rel.deterministicAfter)]), 'reliability-deterministic', 'Deterministic prediction (no dropout, samples: 0) before and after temperature scaling.'),
  ]))

  const oodParts: string[] = []
  if (report.roc.length === 0) oodParts.push('<p class="note">No OOD sets were evaluated.</p>')
  for (const { score, histogram, threshold } of report.histograms) {
    oodParts.push(await figure(histogramChart(score, histogram, threshold), `histogram-${score}`, `Distribution of the ${score} score on the test set and each OOD set (fractions of each set${histogram.scale === 'log10' ? '; log10 of the score, which spans orders of magnitude' : ''}; the 0.5% most extreme values fall into the end bins). Dashed: the bundle's threshold${threshold === null ? ' (none)' : ` (${fmt(threshold, 4)})`}; items above it are flagged OOD.`))
  }
  if (report.roc.length > 0) {
    oodParts.push(await figure(rocChart(report.roc), 'roc', 'ROC curves of every OOD score against each OOD set (OOD = positive class); the legend gives each score\'s AUROC.'))
    oodParts.push(oodTable(report))
  }
  sections.push(section('ood', 'Out-of-distribution detection', oodParts))

  const selectivePoint = report.selective === null ? null : { coverage: report.selective.coverage, accuracy: 1 - report.selective.risk }
  sections.push(section('selective', 'Selective prediction: accuracy vs coverage', [
    await figure(coverageChart(report.coverage, selectivePoint), 'coverage', `Answering only the most confident items: accuracy among those answered against the fraction answered (AURC ${fmt(served.aurc, 5)}).${selectivePoint === null ? '' : ' Red diamond: the bundle\'s selective threshold.'}`),
  ]))

  sections.push(section('shift', 'Distribution shift', report.shifts === null || report.shifts.length === 0
    ? ['<p class="note">Not evaluated (run <code>sd-dropout evaluate --shift noise,blur,contrast,rotation --report ...</code>).</p>']
    : [await figure(shiftChart(report.shifts, clean), 'shift', 'Served accuracy and ECE on corrupted copies of the test set; severity 0 is the clean set.'), shiftTable(report)]))

  sections.push(section('fgsm', 'Adversarial robustness (FGSM)', report.fgsm === null || report.fgsm.length === 0
    ? ['<p class="note">Not evaluated (run <code>sd-dropout evaluate --fgsm 0.05,0.1,0.2 --report ...</code>).</p>']
    : [await figure(fgsmChart(report.fgsm, clean), 'fgsm', 'Fast gradient sign attacks on the deterministic logits through the bundle\'s backbone and head, epsilon in pixel units ([0, 1] images), evaluated on the served prediction.'), fgsmTable(report)]))

  const nav = ['summary', 'training', 'calibration', 'ood', 'selective', 'shift', 'fgsm'].map((id) => `<a href="#${id}">${id}</a>`).join('')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(m.name)}: model report</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<main>
<h1>${esc(m.name)}: model report</h1>
<p class="lead">Calibration, uncertainty, out-of-distribution detection and robustness of one sd-dropout bundle, every number recomputed from data.</p>
<nav>${nav}</nav>
${sections.join('\n')}
<footer>Generated by <code>${esc(report.generatedBy)}</code>. Charts: Vega-Lite, rendered to static SVG.</footer>
</main>
</body>
</html>
`
}

function reliabilityPanel(title: string, bins: readonly ReliabilityBin[]) {
  return { title, bins }
}

async function figure(spec: Parameters<typeof renderSvg>[0], id: string, caption: string): Promise<string> {
  return `<figure id="figure-${id}">${await renderSvg(spec, id)}<figcaption>${esc(caption)}</figcaption></figure>`
}

function section(id: string, title: string, parts: readonly string[]): string {
  return `<section id="${id}">\n<h2>${esc(title)}</h2>\n${parts.join('\n')}\n</section>`
}

function facts(rows: readonly (readonly [string, string])[]): string {
  return `<dl class="facts">${rows.map(([key, value]) => `<dt>${esc(key)}</dt><dd>${esc(value)}</dd>`).join('')}</dl>`
}

function metricsTable(served: EvaluationMetrics, deterministic: EvaluationMetrics): string {
  const row = (name: string, m: EvaluationMetrics) =>
    `<tr><td>${esc(name)}</td><td>${pct(m.accuracy)}</td><td>${fmt(m.nll, 4)}</td><td>${fmt(m.nllUncalibrated ?? Number.NaN, 4)}</td><td>${pct(m.ece)}</td><td>${pct(m.eceUncalibrated ?? Number.NaN)}</td><td>${pct(m.adaptiveEce)}</td><td>${fmt(m.brier, 4)}</td><td>${fmt(m.aurc, 5)}</td></tr>`
  return `<table><thead><tr><th>prediction</th><th>accuracy</th><th>NLL</th><th>NLL, T = 1</th><th>ECE</th><th>ECE, T = 1</th><th>adaptive ECE</th><th>Brier</th><th>AURC</th></tr></thead><tbody>${row('served (MC mean)', served)}${row('deterministic', deterministic)}</tbody></table>`
}

function oodTable(report: ReportModel): string {
  const rows = Object.entries(report.ood).flatMap(([set, perScore]) =>
    Object.entries(perScore).map(([score, m]) => `<tr><td>${esc(set)}</td><td class="l">${esc(score)}${score === report.model.defaultScore ? ' (default)' : ''}</td><td>${fmt(m.auroc, 4)}</td><td>${fmt(m.auprOut, 4)}</td><td>${fmt(m.fpr95, 4)}</td><td>${fmt(m.detectionError, 4)}</td><td>${m.acceptedAtThreshold === null ? '-' : pct(m.acceptedAtThreshold)}</td></tr>`),
  )
  return `<table><thead><tr><th>OOD set</th><th class="l">score</th><th>AUROC</th><th>AUPR-out</th><th>FPR95</th><th>detection error</th><th>accepted at threshold</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

function shiftTable(report: ReportModel): string {
  const rows = report.shifts ?? []
  const severities = [...new Set(rows.map((row) => row.severity))].sort((a, b) => a - b)
  const metrics: readonly (readonly [string, (row: { accuracy: number; ece: number; oodFlagged: number | null }) => string])[] = [
    ['accuracy', (row) => pct(row.accuracy)],
    ['ECE', (row) => pct(row.ece)],
    [`flagged OOD (${report.model.defaultScore})`, (row) => (row.oodFlagged === null ? '-' : pct(row.oodFlagged))],
  ]
  const body = [...new Set(rows.map((row) => row.shift))].flatMap((shift) =>
    metrics.map(([metric, cell], k) => {
      const cells = severities.map((severity) => {
        const row = rows.find((r) => r.shift === shift && r.severity === severity)
        return `<td>${row === undefined ? '-' : cell(row)}</td>`
      })
      const clean = cell({ ...report.served, oodFlagged: report.cleanFlagged })
      return `<tr${k === 0 ? ' class="group"' : ''}><td>${k === 0 ? esc(shift) : ''}</td><td class="l">${esc(metric)}</td><td>${clean}</td>${cells.join('')}</tr>`
    }),
  )
  const parameters = [...new Set(rows.map((row) => row.shift))].map((shift) => `${esc(shift)} ${severities.map((severity) => fmt(rows.find((r) => r.shift === shift && r.severity === severity)?.parameter ?? Number.NaN, 2)).join(' / ')}`)
  return `<table><thead><tr><th>shift</th><th class="l">served</th><th>clean</th>${severities.map((severity) => `<th>severity ${severity}</th>`).join('')}</tr></thead><tbody>${body.join('')}</tbody></table><p class="lead">Parameters by severity (noise and blur: sigma; contrast: factor c; rotation: degrees): ${parameters.join('; ')}.</p>`
}

function fgsmTable(report: ReportModel): string {
  const rows = (report.fgsm ?? []).map((r) => `<tr><td>${fmt(r.epsilon, 3)}</td><td>${pct(r.accuracy)}</td><td>${pct(r.ece)}</td><td>${fmt(r.nll, 4)}</td><td>${r.oodFlagged === null ? '-' : pct(r.oodFlagged)}</td></tr>`)
  const clean = `<tr><td>0 (clean)</td><td>${pct(report.served.accuracy)}</td><td>${pct(report.served.ece)}</td><td>${fmt(report.served.nll, 4)}</td><td>${report.cleanFlagged === null ? '-' : pct(report.cleanFlagged)}</td></tr>`
  return `<table><thead><tr><th>epsilon</th><th>accuracy</th><th>ECE</th><th>NLL</th><th>flagged OOD (${esc(report.model.defaultScore)})</th></tr></thead><tbody>${clean}${rows.join('')}</tbody></table>`
}

function pct(value: number): string {
  return Number.isFinite(value) ? `${(100 * value).toFixed(2)}%` : '-'
}

function fmt(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-'
}

/**
 * Escapes text for HTML element content and double-quoted attributes.
 *
 * @example
 * ```ts
 * esc('<a & "b">') // '&lt;a &amp; &quot;b&quot;&gt;'
 * ```
 */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')
}
