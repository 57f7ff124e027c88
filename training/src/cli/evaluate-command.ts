import { OOD_SCORE_NAMES, OptionError, readBundle, type OodScoreName } from '@sd-dropout/sdk'
import { selectBackend, BACKEND_CHOICES, type BackendChoice } from '../backend/select-backend.js'
import { datasetHash } from '../data/data-hash.js'
import { readIdxImages } from '../data/idx-dataset.js'
import { SYNTHETIC_OOD_NAMES, syntheticOodSetInModelSpace, type ImageSet, type SyntheticOodName } from '../data/synthetic-ood.js'
import { evaluateBundleDetailed, type BundleEvaluation } from '../evaluate/evaluate-bundle.js'
import { readBundleBytes, withBundleModels } from '../evaluate/open-bundle-model.js'
import { evaluateFgsm, evaluateShifts, type FgsmEvaluation, type ShiftEvaluation } from '../evaluate/robustness.js'
import { buildReportModel } from '../report/build-report-model.js'
import { writeReport } from '../report/write-report.js'
import { commandLine, type CommandContext } from './command-context.js'
import { TEST_DATA_OPTIONS } from './data-options.js'
import { formatHelp, parseOptions, type OptionSpec } from './option-spec.js'
import { reportPath, robustnessRequest, ROBUSTNESS_OPTIONS } from './robustness-options.js'
import { conformToInput, loadTestSet } from './test-data.js'

/** Every flag of `sd-dropout evaluate`. */
export const EVALUATE_OPTIONS: readonly OptionSpec[] = [
  { name: 'bundle', kind: 'string', placeholder: '<file.sdd>', description: 'the model bundle to evaluate (required)' },
  ...TEST_DATA_OPTIONS,
  { name: 'ood-images', kind: 'list', placeholder: '<file>', description: 'IDX image files of out-of-distribution sets (repeatable or comma-separated)' },
  { name: 'synthetic-ood', kind: 'list', choices: [...SYNTHETIC_OOD_NAMES, 'none'], default: [...SYNTHETIC_OOD_NAMES], description: 'OOD sets made offline from the test images (image models; default none for vector models)' },
  { name: 'ood-count', kind: 'integer', min: 1, max: 100000, default: 1000, description: 'items per synthetic OOD set' },
  ...ROBUSTNESS_OPTIONS,
  { name: 'json', kind: 'boolean', default: false, description: 'print one JSON object (fields in docs/cli.md) instead of a table' },
  { name: 'backend', kind: 'string', choices: BACKEND_CHOICES, default: 'auto', description: 'tfjs backend for the backbone' },
]

const SUMMARY = `Recompute every metric of a bundle from data, never from its manifest, running it through the SDK
(loadModel, features, head, predict) as users do: accuracy, NLL, Brier, ECE (before/after T_cal),
adaptive ECE, MCE, AURC, E-AURC of the served prediction (MC mean at the bundle's S and seed) and of
the deterministic one (S = 0), and OOD detection (AUROC, AUPR-in/out, FPR95, detection error) of
every score against each OOD set; optionally accuracy and ECE under corruption shifts and FGSM attacks,
and a self-contained HTML report with plots.`

/**
 * `sd-dropout evaluate`: loads the bundle (integrity-checked), runs it on the test data and the OOD
 * sets, and prints a table or, with `--json`, one JSON object.
 *
 * @example
 * ```ts
 * await evaluateCommand(['--bundle', 'model.sdd', '--json'], context)
 * ```
 */
export async function evaluateCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    context.stdout(`${formatHelp('evaluate', SUMMARY, EVALUATE_OPTIONS)}\n`)
    return 0
  }
  const { values, explicit } = parseOptions('evaluate', EVALUATE_OPTIONS, argv)
  const bundlePath = values.bundle
  if (typeof bundlePath !== 'string') throw new OptionError('--bundle', 'is required: the bundle file to evaluate')
  const request = robustnessRequest(values)
  const reportFile = reportPath(values)
  const backend = await selectBackend(values.backend as BackendChoice)
  if (values.json !== true) context.progress.message(backend.description)
  const bytes = await readBundleBytes(bundlePath)
  const report = await withBundleModels(bytes, async (model, uncalibrated): Promise<EvaluateReport> => {
    const { info } = model
    const test = loadTestSet(values, info)
    const vector = info.input.kind === 'vector'
    if (vector && (explicit.has('synthetic-ood') || request.shifts.length > 0)) {
      throw new OptionError(explicit.has('synthetic-ood') ? '--synthetic-ood' : '--shift', 'makes image sets; this model takes numeric vectors')
    }
    if (vector && request.epsilons.length > 0) {
      throw new OptionError('--fgsm', 'steps epsilon in pixel units and clips to [0, 1] pixels; this model takes numeric vectors, which have neither')
    }
    const oodSets: ImageSet[] = []
    for (const path of (values['ood-images'] as readonly string[] | undefined) ?? []) {
      const file = readIdxImages(path)
      const images = conformToInput({ name: path, images: file.images, labels: new Int32Array(file.count), count: file.count, itemShape: file.itemShape, classes: info.labels.length }, info)
      oodSets.push({ name: path, images: images.images, count: file.count, itemShape: images.itemShape })
    }
    const synthetic = vector ? [] : ((values['synthetic-ood'] as readonly string[]).filter((name) => name !== 'none') as SyntheticOodName[])
    for (const name of synthetic) oodSets.push(syntheticOodSetInModelSpace(name, test, values['ood-count'] as number, info.input))
    const detailed = await evaluateBundleDetailed(model, uncalibrated, test, oodSets)
    const evaluation = detailed.evaluation
    const shifts = request.shifts.length === 0 ? null : await evaluateShifts(model, test, request.shifts)
    const fgsm = request.epsilons.length === 0 ? null : await evaluateFgsm(model, bytes, test, request.epsilons)
    if (reportFile !== null) {
      const architecture = (await readBundle(bytes)).manifest.backbone.architecture
      const written = await writeReport(reportFile, buildReportModel(model, { detailed, test, shifts, fgsm, architecture, generatedBy: commandLine(['evaluate', ...argv]) }))
      context.progress.message(`wrote the report ${written.path} (${written.bytes} bytes)`)
    }
    const thresholds: Partial<Record<OodScoreName, { threshold: number; testAcceptance: number }>> = {}
    for (const name of OOD_SCORE_NAMES) {
      const threshold = info.ood.thresholds[name]
      const acceptance = evaluation.testAcceptance[name]
      if (threshold !== undefined && acceptance !== undefined) thresholds[name] = { threshold, testAcceptance: acceptance }
    }
    return {
      bundle: { path: bundlePath, id: info.id, name: info.name, sha256: info.sha256, method: info.provenance.method },
      backend: backend.tfjsName,
      runtime: { backbone: model.runtime.backbone, head: model.runtime.head },
      data: { test: { name: test.name, items: test.count, sha256: await datasetHash(test) }, ood: oodSets.map((set) => ({ name: set.name, items: set.count })) },
      calibration: info.calibration,
      samples: info.ood.samples,
      seed: info.ood.seed,
      test: evaluation.test,
      testDeterministic: evaluation.testDeterministic,
      ood: evaluation.ood,
      defaultOodScore: info.ood.score,
      targetAcceptance: info.ood.targetAcceptance,
      thresholds,
      selective: info.selective === null || evaluation.selective === null ? null : { confidenceThreshold: info.selective.confidenceThreshold, targetRisk: info.selective.targetRisk, ...evaluation.selective },
      ...(shifts === null ? {} : { shifts }),
      ...(fgsm === null ? {} : { fgsm }),
    }
  })
  context.stdout(values.json === true ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report))
  return 0
}

/** The JSON object `evaluate --json` prints (docs/cli.md documents every field). */
interface EvaluateReport {
  readonly bundle: { readonly path: string; readonly id: string; readonly name: string; readonly sha256: string; readonly method: string }
  readonly backend: string
  readonly runtime: { readonly backbone: string; readonly head: string }
  readonly data: { readonly test: { readonly name: string; readonly items: number; readonly sha256: string }; readonly ood: readonly { readonly name: string; readonly items: number }[] }
  readonly calibration: { readonly temperature: number; readonly atBound: 'lower' | 'upper' | null; readonly fittedOn: number }
  readonly samples: number
  readonly seed: number
  readonly test: BundleEvaluation['test']
  readonly testDeterministic: BundleEvaluation['testDeterministic']
  readonly ood: BundleEvaluation['ood']
  readonly defaultOodScore: OodScoreName
  readonly targetAcceptance: number
  readonly thresholds: Readonly<Partial<Record<OodScoreName, { readonly threshold: number; readonly testAcceptance: number }>>>
  readonly selective: { readonly confidenceThreshold: number; readonly targetRisk: number; readonly coverage: number; readonly risk: number } | null
  /** With --shift: one row per corruption and severity. */
  readonly shifts?: readonly ShiftEvaluation[]
  /** With --fgsm: one row per epsilon. */
  readonly fgsm?: readonly FgsmEvaluation[]
}

function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`
}

function formatReport(report: EvaluateReport): string {
  const served = report.test
  const deterministic = report.testDeterministic
  const line = (what: string, m: EvaluateReport['test']): string =>
    `${what}: accuracy ${percent(m.accuracy)}  NLL ${m.nll.toFixed(4)} (T = 1: ${(m.nllUncalibrated ?? 0).toFixed(4)})  ECE ${percent(m.ece)} (T = 1: ${percent(m.eceUncalibrated ?? 0)})  Brier ${m.brier.toFixed(4)}  AURC ${m.aurc.toFixed(5)}`
  const lines = [
    `bundle ${report.bundle.path} (${report.bundle.id}, ${report.bundle.method}); test ${report.data.test.name}, ${report.data.test.items} items; T_cal ${report.calibration.temperature.toFixed(3)}`,
    line(`served (MC mean, S = ${report.samples}, seed ${report.seed})`, served),
    line('deterministic (S = 0)', deterministic),
  ]
  if (report.selective !== null) lines.push(`selective prediction: coverage ${percent(report.selective.coverage)}, risk ${percent(report.selective.risk)}`)
  for (const [set, perScore] of Object.entries(report.ood)) {
    lines.push(`OOD ${set}:`)
    for (const [score, m] of Object.entries(perScore)) {
      lines.push(`  ${(score + (score === report.defaultOodScore ? ' *' : '')).padEnd(20)} AUROC ${m.auroc.toFixed(4)}  FPR95 ${m.fpr95.toFixed(4)}  accepted at threshold ${m.acceptedAtThreshold === null ? '-' : percent(m.acceptedAtThreshold)}`)
    }
  }
  for (const row of report.shifts ?? []) {
    lines.push(`shift ${row.shift} severity ${row.severity} (${row.parameter}): accuracy ${percent(row.accuracy)}  ECE ${percent(row.ece)}  NLL ${row.nll.toFixed(4)}  flagged OOD ${row.oodFlagged === null ? '-' : percent(row.oodFlagged)}`)
  }
  for (const row of report.fgsm ?? []) {
    lines.push(`FGSM epsilon ${row.epsilon}: accuracy ${percent(row.accuracy)}  ECE ${percent(row.ece)}  NLL ${row.nll.toFixed(4)}  flagged OOD ${row.oodFlagged === null ? '-' : percent(row.oodFlagged)}`)
  }
  return `${lines.join('\n')}\n`
}
