import { mkdirSync, rmSync } from 'node:fs'
import { dirname } from 'node:path'
import { assembleBundle, isMonteCarloScore, OptionError, writeBundle, type EvaluationMetrics, type JsonValue, type OodScoreName } from '@sd-dropout/sdk'
import { selectBackend, type BackendChoice } from '../backend/select-backend.js'
import { datasetHash } from '../data/data-hash.js'
import { SYNTHETIC_OOD_NAMES, syntheticOodSetInModelSpace } from '../data/synthetic-ood.js'
import { evaluateBundleBytes, manifestMetrics } from '../evaluate/evaluate-bundle.js'
import { readBundleBytes } from '../evaluate/open-bundle-model.js'
import { exportBundle, trainedBundleContents } from '../export/export-bundle.js'
import { fitTrainedModel } from '../export/fit-trained-model.js'
import { checkpointConfig, restoreCheckpoint, type LoopPosition } from '../loop/checkpoint.js'
import { loadCheckpointFile } from '../loop/checkpoint-file.js'
import type { TrainConfig } from '../loop/train-config.js'
import { trainLoop } from '../loop/train-loop.js'
import { createTrainingSession, type TrainingSession } from '../loop/training-session.js'
import { parseMethod } from '../methods/method-registry.js'
import { writeBundleReport } from '../report/bundle-report.js'
import { commandLine, toolVersion, type CommandContext } from './command-context.js'
import { formatHelp, parseOptions } from './option-spec.js'
import { reportPath } from './robustness-options.js'
import { HYPER_PARAMETER_FLAGS, trainConfigFromOptions } from './train-config-from-options.js'
import { TRAIN_OPTIONS } from './train-options.js'
import { loadTrainingData } from './training-data.js'

const SUMMARY = `Train a classifier with SD-Dropout, plain CE or a self-KD peer (PS-KD, FRSKD, LSSKD, each alone or
+ SD-Dropout), then fit T_cal, Mahalanobis statistics, OOD
thresholds (every score, at the SDK's S and seed) and the selective-prediction threshold, and write
ONE bundle with metrics and provenance. Checkpoints every epoch; Ctrl-C saves and stops; --resume continues.`

/** Exit status of an interrupted run (128 + SIGINT). */
export const INTERRUPTED_EXIT = 130

/**
 * `sd-dropout train`: validates flags and data first (nothing is written on bad input), trains
 * with checkpoints, fits the deployment and writes the bundle atomically.
 *
 * @returns the exit status: 0 done, 130 interrupted (checkpoint saved)
 * @example
 * ```ts
 * await trainCommand(['--out', 'model.sdd', '--epochs', '1'], context)
 * ```
 */
export async function trainCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    context.stdout(`${formatHelp('train', SUMMARY, TRAIN_OPTIONS)}\n`)
    return 0
  }
  const { values, explicit } = parseOptions('train', TRAIN_OPTIONS, argv)
  const out = values.out
  if (typeof out !== 'string') throw new OptionError('--out', 'is required: the bundle file to write (e.g. --out models/my-model/model.sdd)')
  const name = values.name as string
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) throw new OptionError('--name', `must match [a-z0-9][a-z0-9._-]*, got "${name}"`)
  const oodScore = values['ood-score'] as OodScoreName
  if (isMonteCarloScore(oodScore) && (values['ood-samples'] as number) < 2) {
    throw new OptionError('--ood-score', `${oodScore} is computed from MC-dropout samples and needs --ood-samples >= 2, got ${String(values['ood-samples'])}`)
  }
  const checkpointPath = (values.checkpoint as string | undefined) ?? `${out}.ckpt`
  const report = reportPath(values)
  const data = loadTrainingData(values)
  const trainData = { sha256: await datasetHash(data.train), items: data.train.count }

  let config: TrainConfig
  let resumeContents: Awaited<ReturnType<typeof loadCheckpointFile>> | undefined
  const resume = values.resume as string | undefined
  if (resume !== undefined) {
    const conflicting = HYPER_PARAMETER_FLAGS.filter((flag) => explicit.has(flag))
    if (conflicting.length > 0) throw new OptionError(`--${conflicting[0]}`, `cannot be set with --resume: the run continues with the checkpoint's hyper-parameters (only --epochs may change)`)
    resumeContents = await loadCheckpointFile(resume)
    const saved = checkpointConfig(resumeContents)
    if (saved.data !== undefined && saved.data.sha256 !== trainData.sha256) {
      throw new OptionError('--resume', `the checkpoint was trained on other data (${saved.data.items} items, sha256 ${saved.data.sha256.slice(0, 12)}...); this run's training split has ${trainData.items} items, sha256 ${trainData.sha256.slice(0, 12)}...: give the same data flags as the interrupted run`)
    }
    config = explicit.has('epochs') ? { ...saved, epochs: values.epochs as number } : saved
  } else {
    config = { ...trainConfigFromOptions({ ...values, augment: data.augment }), data: trainData }
    assertPeerFlagsMatch(config.method, explicit)
  }

  const backend = await selectBackend(values.backend as BackendChoice)
  context.progress.message(backend.description)
  const session = createTrainingSession(config, data.train.itemShape, data.labels.length)
  let position: LoopPosition | undefined
  if (resumeContents !== undefined) {
    position = restoreCheckpoint(session, resumeContents)
    context.progress.message(`resuming ${resume} at epoch ${position.epoch + 1}, step ${position.step}`)
  }
  mkdirSync(dirname(out), { recursive: true })
  mkdirSync(dirname(checkpointPath), { recursive: true })
  const parameters = parameterCounts(session)
  context.progress.message(
    `${session.method.name} on ${config.model.architecture} (D = ${session.backbone.featureDim}), ${data.description}; trainable parameters: ${parameters.training} (backbone ${parameters.backbone}, head ${parameters.head}, method ${parameters.method})`,
  )

  let stop = false
  const remove = context.onInterrupt(() => {
    stop = true
    context.progress.message('interrupt: saving a checkpoint after this step (press Ctrl-C again to quit at once)')
  })
  let result
  try {
    result = await trainLoop(session, {
      train: data.train,
      validation: data.validation,
      checkpointPath,
      progress: context.progress,
      shouldStop: () => stop,
      ...(position !== undefined ? { resume: position } : {}),
    })
  } finally {
    remove()
  }
  if (result.status === 'stopped') {
    context.progress.message(`interrupted at epoch ${result.position.epoch + 1}, step ${result.position.step}; checkpoint saved to ${checkpointPath}`)
    context.progress.message(`continue with: sd-dropout train --resume ${checkpointPath} --out ${out}`)
    session.dispose()
    return INTERRUPTED_EXIT
  }

  const deployment = {
    samples: values['ood-samples'] as number,
    seed: values['ood-seed'] as number,
    targetAcceptance: values['target-acceptance'] as number,
    targetRisk: values['target-risk'] as number,
    dropoutRate: config.sd.rate,
  }
  const trained = await fitTrainedModel(session, data.train, data.validation, deployment)
  const { fit } = trained
  context.progress.message(`T_cal = ${fit.temperature.temperature.toFixed(4)}${fit.temperature.atBound === null ? '' : ` (at the ${fit.temperature.atBound} bound)`}, fitted on the MC mean at S = ${deployment.samples}`)
  const metrics: Record<string, EvaluationMetrics> = { validation: fit.metrics, 'validation-deterministic': fit.deterministicMetrics }
  const contents = await trainedBundleContents(
    trained,
    {
      name,
      labels: data.labels,
      architecture: architectureName(config),
      oodScore,
      targetAcceptance: deployment.targetAcceptance,
      input: data.input,
      provenance: {
        method: session.method.name,
        hyperParameters: plainJson({ ...config, methodHyperParameters: session.method.hyperParameters, deployment, parameters, history: result.history }),
        seed: config.seed,
        data: { name: data.description, ...trainData },
        command: commandLine(['train', ...argv]),
        toolVersion: toolVersion(),
        backend: backend.tfjsName,
        parentId: null,
      },
    },
    metrics,
  )
  if (data.test !== null) {
    // Test metrics through the SDK's loading path, exactly as `sd-dropout evaluate` recomputes them.
    const test = data.test
    // the same sets `evaluate` makes: from [0, 1] pixels, mapped to model space; none for vector data
    const oodSets = data.input.image === null ? [] : SYNTHETIC_OOD_NAMES.map((setName) => syntheticOodSetInModelSpace(setName, test, 1000, data.input))
    const evaluation = await evaluateBundleBytes(await writeBundle(assembleBundle(contents)), test, oodSets)
    metrics.test = manifestMetrics(evaluation)
    metrics['test-deterministic'] = evaluation.testDeterministic
  }
  const written = await exportBundle(out, { ...contents, metrics })
  if (values['keep-checkpoint'] !== true) rmSync(checkpointPath, { force: true })
  if (report !== null) {
    const page = await writeBundleReport(await readBundleBytes(out), data.test ?? data.validation, report, commandLine(['train', ...argv]))
    context.progress.message(`wrote the report ${page.path} (${page.bytes} bytes)`)
  }
  const test = metrics.test
  const deterministic = metrics['test-deterministic']
  context.stdout(
    [
      `wrote ${written.path} (${written.bytes} bytes, sha256 ${written.sha256})`,
      `model ${contents.id}: ${session.method.name}, T_cal ${fit.temperature.temperature.toFixed(4)}, OOD score ${oodScore}`,
      test === undefined
        ? 'no test data: metrics are on validation only'
        : `test, served (S = ${deployment.samples}): accuracy ${percent(test.accuracy)}, ECE ${percent(test.eceUncalibrated ?? 0)} -> ${percent(test.ece)} after T_cal, NLL ${test.nll.toFixed(4)}`,
      ...(deterministic === undefined ? [] : [`test, deterministic (S = 0): accuracy ${percent(deterministic.accuracy)}, ECE ${percent(deterministic.eceUncalibrated ?? 0)} -> ${percent(deterministic.ece)} after T_cal, NLL ${deterministic.nll.toFixed(4)}`]),
      '',
    ].join('\n'),
  )
  session.dispose()
  return 0
}

/**
 * Trainable parameter counts of a session: the backbone's trainable weights, the head (W and b),
 * the method's own variables (a self-teacher, auxiliary classifiers: training only) and their sum.
 */
function parameterCounts(session: TrainingSession): { training: number; backbone: number; head: number; method: number } {
  const count = (prefix: string): number => session.variables.filter(({ name }) => name.startsWith(prefix)).reduce((sum, { variable }) => sum + variable.size, 0)
  const backbone = count('backbone/')
  const head = count('head/')
  const method = count('method/')
  return { training: backbone + head + method, backbone, head, method }
}

/** Flags of a peer method given for another method would be silently ignored: refuse them. */
function assertPeerFlagsMatch(method: string, explicit: ReadonlySet<string>): void {
  const { base } = parseMethod(method)
  for (const prefix of ['ps-kd', 'frskd', 'lsskd'] as const) {
    const flag = [...explicit].find((name) => name.startsWith(`${prefix}-`))
    if (flag !== undefined && base !== prefix) throw new OptionError(`--${flag}`, `applies to --method ${prefix} (or ${prefix}+sd-dropout), not ${method}`)
  }
}

function architectureName(config: TrainConfig): string {
  const model = config.model
  return model.architecture === 'resnet' ? `resnet${model.depth}` : model.architecture
}

function percent(value: number): string {
  return `${(100 * value).toFixed(2)}%`
}

function plainJson(value: object): Record<string, JsonValue> {
  return JSON.parse(JSON.stringify(value)) as Record<string, JsonValue>
}
