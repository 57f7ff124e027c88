import { OOD_SCORE_NAMES, OptionError, type OodScoreName } from '@sd-dropout/sdk'
import { selectBackend, BACKEND_CHOICES, type BackendChoice } from '../backend/select-backend.js'
import { datasetHash } from '../data/data-hash.js'
import type { Dataset } from '../data/dataset.js'
import { assertImageShape, loadIdxDataset, readIdxImages } from '../data/idx-dataset.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { SYNTHETIC_OOD_NAMES, syntheticOodSet, type ImageSet, type SyntheticOodName } from '../data/synthetic-ood.js'
import { evaluateBundle, type BundleEvaluation } from '../evaluate/evaluate-bundle.js'
import { readBundleBytes, withBundleModels } from '../evaluate/open-bundle-model.js'
import type { CommandContext } from './command-context.js'
import { formatHelp, parseOptions, type OptionSpec } from './option-spec.js'

/** Every flag of `sd-dropout evaluate`. */
export const EVALUATE_OPTIONS: readonly OptionSpec[] = [
  { name: 'bundle', kind: 'string', placeholder: '<file.sdd>', description: 'the model bundle to evaluate (required)' },
  { name: 'data', kind: 'string', choices: ['mnist', 'idx'], default: 'mnist', description: 'test data: the built-in mnist test split (2000 digits) or IDX files' },
  { name: 'test-images', kind: 'string', placeholder: '<file>', description: 'IDX test images (with --data idx)' },
  { name: 'test-labels', kind: 'string', placeholder: '<file>', description: 'IDX test labels (with --data idx)' },
  { name: 'ood-images', kind: 'list', placeholder: '<file>', description: 'IDX image files of out-of-distribution sets (repeatable or comma-separated)' },
  { name: 'synthetic-ood', kind: 'list', choices: [...SYNTHETIC_OOD_NAMES, 'none'], default: [...SYNTHETIC_OOD_NAMES], description: 'OOD sets made offline from the test images' },
  { name: 'ood-count', kind: 'integer', min: 1, max: 100000, default: 1000, description: 'items per synthetic OOD set' },
  { name: 'json', kind: 'boolean', default: false, description: 'print one JSON object (fields in docs/cli.md) instead of a table' },
  { name: 'backend', kind: 'string', choices: BACKEND_CHOICES, default: 'auto', description: 'tfjs backend for the backbone' },
]

const SUMMARY = `Recompute every metric of a bundle from data, never from its manifest, running it through the SDK
(loadModel, features, head, predict) as users do: accuracy, NLL, Brier, ECE (before/after T_cal),
adaptive ECE, MCE, AURC, E-AURC of the served prediction (MC mean at the bundle's S and seed) and of
the deterministic one (S = 0), and OOD detection (AUROC, AUPR-in/out, FPR95, detection error) of
every score against each OOD set.`

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
  const { values } = parseOptions('evaluate', EVALUATE_OPTIONS, argv)
  const bundlePath = values.bundle
  if (typeof bundlePath !== 'string') throw new OptionError('--bundle', 'is required: the bundle file to evaluate')
  const backend = await selectBackend(values.backend as BackendChoice)
  if (values.json !== true) context.progress.message(backend.description)
  const report = await withBundleModels(await readBundleBytes(bundlePath), async (model, uncalibrated): Promise<EvaluateReport> => {
    const { info } = model
    const inputShape = info.input.shape
    const test = testData(values, info.labels.length, inputShape)
    const oodSets: ImageSet[] = []
    for (const path of (values['ood-images'] as readonly string[] | undefined) ?? []) {
      const images = readIdxImages(path)
      assertImageShape(images, inputShape)
      oodSets.push({ name: path, images: images.images, count: images.count, itemShape: images.itemShape })
    }
    const synthetic = (values['synthetic-ood'] as readonly string[]).filter((name) => name !== 'none') as SyntheticOodName[]
    for (const name of synthetic) oodSets.push(syntheticOodSet(name, test, values['ood-count'] as number))
    const evaluation = await evaluateBundle(model, uncalibrated, test, oodSets)
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
}

function testData(values: Readonly<Record<string, unknown>>, classes: number, inputShape: readonly number[]): Dataset {
  if (values.data === 'mnist') {
    if (values['test-images'] !== undefined || values['test-labels'] !== undefined) throw new OptionError('--test-images', 'is only used with --data idx')
    return loadMnistSplit().test
  }
  const images = values['test-images']
  const labels = values['test-labels']
  if (typeof images !== 'string' || typeof labels !== 'string') throw new OptionError('--data', 'idx needs --test-images and --test-labels')
  return loadIdxDataset(images, labels, classes, inputShape)
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
  return `${lines.join('\n')}\n`
}
