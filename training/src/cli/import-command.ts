import { assembleBundle, FormatError, isMonteCarloScore, OptionError, ShapeError, writeBundle, type EvaluationMetrics, type InputSpec, type OodScoreName } from '@sd-dropout/sdk'
import { selectBackend, type BackendChoice } from '../backend/select-backend.js'
import { datasetHash } from '../data/data-hash.js'
import type { Dataset } from '../data/dataset.js'
import { imageInputSpec, vectorInputSpec } from '../data/input-spec.js'
import { toModelSpace } from '../data/model-space.js'
import { SYNTHETIC_OOD_NAMES, syntheticOodSetInModelSpace } from '../data/synthetic-ood.js'
import { evaluateBundleBytes, manifestMetrics } from '../evaluate/evaluate-bundle.js'
import { readBundleBytes } from '../evaluate/open-bundle-model.js'
import { exportBundle } from '../export/export-bundle.js'
import { importModel } from '../import/import-model.js'
import { loadLayersModelFile } from '../import/read-layers-model.js'
import { splitClassifier } from '../import/split-classifier.js'
import { writeBundleReport } from '../report/bundle-report.js'
import { commandLine, toolVersion, type CommandContext } from './command-context.js'
import { imageDecoding, type ImageDecoding } from './data-options.js'
import { IMPORT_OPTIONS } from './import-options.js'
import { formatHelp, parseOptions, type OptionValues } from './option-spec.js'
import { reportPath } from './robustness-options.js'
import { loadLabelledSplits } from './training-data.js'

const SUMMARY = `Import a classifier trained elsewhere (a tfjs LayersModel, e.g. a Keras model converted by the
TensorFlow.js converter) whose last layer is a dense classifier: split it into backbone (up to the
classifier's input h) and head (its kernel and bias; the logits before any softmax), fit T_cal, Mahalanobis
statistics, OOD thresholds and the selective threshold on your data, and write ONE bundle the SDK and the
worker serve. Tell it how the model's inputs were made (--scale, --mean, --std) so the SDK feeds images alike.`

/**
 * `sd-dropout import`: model.json + labelled data -> a calibrated, OOD-ready bundle whose
 * uncalibrated logits are the original model's.
 *
 * @example
 * ```ts
 * await importCommand(['--model', 'keras/model.json', '--data', 'csv', '--train-data', 'iris.csv', '--out', 'iris.sdd'], context)
 * ```
 */
export async function importCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    context.stdout(`${formatHelp('import', SUMMARY, IMPORT_OPTIONS)}\n`)
    return 0
  }
  const { values } = parseOptions('import', IMPORT_OPTIONS, argv)
  if (typeof values.model !== 'string') throw new OptionError('--model', 'is required: the model.json of a tfjs LayersModel')
  const out = values.out
  if (typeof out !== 'string') throw new OptionError('--out', 'is required: the bundle file to write')
  const name = values.name as string
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new OptionError('--name', `must match [a-z0-9][a-z0-9._-]*, got "${name}"`)
  const report = reportPath(values)
  const backend = await selectBackend(values.backend as BackendChoice)
  context.progress.message(backend.description)

  const model = await loadLayersModelFile(values.model)
  try {
    const classifier = splitClassifier(model, values.model)
    const { classes } = classifier.head
    const inputShape = model.inputs[0]?.shape.slice(1) ?? []
    if (inputShape.some((dim) => dim === null)) throw new FormatError(values.model, `input shape [${inputShape.join(', ')}] has free dimensions; import needs a fixed input size`)
    const shape = inputShape as number[]
    const labels = values.labels as readonly string[] | undefined
    if (labels !== undefined && labels.length !== classes) throw new OptionError('--labels', `names ${labels.length} classes; the classifier has ${classes}`)
    const served = { invert: values.invert === true, mnistCentering: values['mnist-centering'] === true }
    const decoding: ImageDecoding = shape.length === 3 ? { height: shape[0], width: shape[1], channels: shape[2] === 3 ? 3 : 1, ...served } : { ...imageDecoding(values), ...served }
    const splits = loadLabelledSplits({ ...values, classes: values.classes ?? classes }, decoding, labels)
    if (splits.train.labelNames.length !== classes) {
      throw new OptionError('--data', `the data have ${splits.train.labelNames.length} classes (${splits.train.labelNames.slice(0, 5).join(', ')}...); the classifier has ${classes} (name them with --labels)`)
    }
    const input = inputSpec(values, splits.kind === 'csv', splits.train.itemShape, shape, splits.kind === 'mnist')
    const toModel = (data: Dataset): Dataset => {
      const fits = data.itemShape.join('x') === shape.join('x') || (input.image !== null && data.itemShape.reduce((a, b) => a * b, 1) === shape.reduce((a, b) => a * b, 1))
      if (!fits) throw new ShapeError(`items of ${data.name}`, `${shape.join('x')} (the model's input)`, data.itemShape.join('x'))
      return { ...data, itemShape: shape, images: toModelSpace(data.images, input) }
    }
    const [train, heldOut] = [toModel(splits.train), toModel(splits.validation)]
    const dropoutRate = (values['dropout-rate'] as number | undefined) ?? classifier.dropoutRate ?? 0
    const samples = (values['ood-samples'] as number | undefined) ?? (dropoutRate > 0 ? 32 : 0)
    const oodScore = values['ood-score'] as OodScoreName
    if (isMonteCarloScore(oodScore) && samples < 2) throw new OptionError('--ood-score', `${oodScore} is computed from MC-dropout samples and needs --ood-samples >= 2 (and --dropout-rate > 0), got ${samples}`)
    if (isMonteCarloScore(oodScore) && dropoutRate === 0) throw new OptionError('--ood-score', `${oodScore} is computed from MC-dropout samples, which are all equal without dropout: give --dropout-rate > 0 or another score`)
    const imported = await importModel(classifier, {
      name,
      labels: labels ?? splits.train.labelNames,
      input,
      train,
      heldOut,
      dropoutRate,
      samples,
      seed: values['ood-seed'] as number,
      targetAcceptance: values['target-acceptance'] as number,
      targetRisk: values['target-risk'] as number,
      oodScore,
      provenance: {
        hyperParameters: { source: values.model, inputScale: input.image?.scale ?? null },
        data: { name: splits.description, sha256: await datasetHash(train), items: train.count },
        command: commandLine(['import', ...argv]),
        toolVersion: toolVersion(),
        backend: backend.tfjsName,
      },
    })
    const metrics: Record<string, EvaluationMetrics> = { ...imported.contents.metrics }
    const test = splits.test === null ? null : toModel(splits.test)
    if (test !== null) {
      const oodSets = input.image === null ? [] : SYNTHETIC_OOD_NAMES.map((set) => syntheticOodSetInModelSpace(set, test, 1000, input))
      const evaluation = await evaluateBundleBytes(await writeBundle(assembleBundle(imported.contents)), test, oodSets)
      metrics.test = manifestMetrics(evaluation)
      metrics['test-deterministic'] = evaluation.testDeterministic
    }
    const written = await exportBundle(out, { ...imported.contents, metrics })
    if (report !== null) {
      const page = await writeBundleReport(await readBundleBytes(out), test ?? heldOut, report, commandLine(['import', ...argv]))
      context.progress.message(`wrote the report ${page.path} (${page.bytes} bytes)`)
    }
    const { fit } = imported
    context.stdout(
      [
        `wrote ${written.path} (${written.bytes} bytes, sha256 ${written.sha256})`,
        `imported ${values.model}: classifier ${classifier.denseLayer} (${classifier.activation}), D = ${classifier.head.featureDim}, C = ${classes}, p = ${dropoutRate}, S = ${samples}`,
        `T_cal ${fit.temperature.temperature.toFixed(4)}${fit.temperature.atBound === null ? '' : ` (at the ${fit.temperature.atBound} bound)`} on ${heldOut.count} held-out items; OOD score ${imported.oodScore}${imported.oodScore === oodScore ? '' : ` (${oodScore} needs training items of every class)`}`,
        `validation (served): accuracy ${percent(fit.metrics.accuracy)}, ECE ${percent(fit.metrics.eceUncalibrated ?? 0)} -> ${percent(fit.metrics.ece)} after T_cal`,
        ...(metrics.test === undefined ? [] : [`test (served): accuracy ${percent(metrics.test.accuracy)}, ECE ${percent(metrics.test.eceUncalibrated ?? 0)} -> ${percent(metrics.test.ece)} after T_cal`]),
        '',
      ].join('\n'),
    )
  } finally {
    model.dispose()
  }
  return 0
}

/** The bundle's input spec from the flags: a vector for CSV, else the image path with the model's scale, mean and std. */
function inputSpec(values: OptionValues, vector: boolean, itemShape: readonly number[], shape: readonly number[], mnist: boolean): InputSpec {
  if (vector) {
    for (const flag of ['mean', 'std', 'mnist-centering']) if (values[flag] !== undefined) throw new OptionError(`--${flag}`, 'applies to images; CSV features reach the model as they are')
    if (shape.length !== 1) throw new ShapeError('model input', `a vector [F] for CSV data`, `[${shape.join(', ')}]`)
    return vectorInputSpec(shape[0] as number)
  }
  const channels = itemShape[2] ?? 1
  const list = (flag: string, fallback: number): number[] => {
    const given = values[flag] as readonly string[] | undefined
    if (given === undefined) return new Array<number>(channels).fill(fallback)
    const numbers = given.map(Number)
    if (numbers.length !== channels || numbers.some((n) => !Number.isFinite(n)) || (flag === 'std' && numbers.some((n) => n <= 0))) {
      throw new OptionError(`--${flag}`, `needs ${channels} ${flag === 'std' ? 'positive ' : ''}numbers (one per channel), got ${given.join(',')}`)
    }
    return numbers
  }
  const spec = imageInputSpec(itemShape, { mean: list('mean', 0), std: list('std', 1) }, (values['mnist-centering'] as boolean | undefined) ?? mnist, shape, values.scale as number)
  return spec.image === null ? spec : { ...spec, image: { ...spec.image, invert: values.invert === true } }
}

function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`
}
