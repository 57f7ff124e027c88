import * as tf from '@tensorflow/tfjs-core'
import { argmax, deriveSeed, DivergenceError, matrix, negativeLogLikelihoodFromLogits, row } from '@sd-dropout/sdk'
import { augmentBatch } from '../data/augment.js'
import { itemSize, type Dataset } from '../data/dataset.js'
import { seededPermutation } from '../data/seeded-permutation.js'
import { forwardFeatures } from '../models/forward-features.js'
import { headLogits } from '../models/linear-head.js'
import { captureCheckpoint, type EpochRecord, type LoopPosition, type RunningTotals } from './checkpoint.js'
import { saveCheckpointFile } from './checkpoint-file.js'
import { learningRateAt } from './learning-rate-schedule.js'
import { silentProgress, type ProgressReporter } from './progress-reporter.js'
import { SEED_STREAMS } from './train-config.js'
import { trainStep } from './train-step.js'
import type { TrainingSession } from './training-session.js'

/** Options of {@link trainLoop}. */
export interface TrainLoopOptions {
  readonly train: Dataset
  /** Evaluated after every epoch (accuracy, NLL of the no-dropout logits) when given. */
  readonly validation?: Dataset
  /** Where the checkpoint goes after every epoch (and on stop); none when omitted. */
  readonly checkpointPath?: string
  /** Continue from here (see `restoreCheckpoint`); a fresh run when omitted. */
  readonly resume?: LoopPosition
  readonly progress?: ProgressReporter
  /** Polled after every step; when true the loop saves a checkpoint and returns (Ctrl-C). */
  readonly shouldStop?: () => boolean
}

/** How a run ended. */
export interface TrainResult {
  readonly status: 'completed' | 'stopped'
  readonly position: LoopPosition
  readonly history: readonly EpochRecord[]
}

/**
 * Trains a session for `config.epochs` epochs, reproducibly: epoch e visits the training set in
 * `seededPermutation(n, deriveSeed(deriveSeed(seed, 1), e))` order in batches of `batchSize` (the
 * last one smaller), step t uses dropout masks keyed on t and the augmentation's draws
 * (`augmentBatch`) keyed on t. After every epoch it writes an atomic checkpoint; when `shouldStop` turns true it
 * writes one mid-epoch and returns `stopped`, and resuming from it gives the same weights as an
 * uninterrupted run on the same backend.
 *
 * @throws {DivergenceError} when the loss becomes NaN or infinite; the last good checkpoint is kept (its path
 *   and step are in the message and `details`).
 * @example
 * ```ts
 * const result = await trainLoop(session, { train, validation, checkpointPath: 'run.ckpt', progress })
 * ```
 */
export async function trainLoop(session: TrainingSession, options: TrainLoopOptions): Promise<TrainResult> {
  const { train, validation, checkpointPath, progress = silentProgress, shouldStop = () => false } = options
  const { epochs, batchSize, seed } = session.config
  const stepsPerEpoch = Math.ceil(train.count / batchSize)
  const size = itemSize(train)
  const shuffleSeed = deriveSeed(seed, SEED_STREAMS.shuffle)
  const augmentSeed = deriveSeed(seed, SEED_STREAMS.augment)
  let position: LoopPosition = options.resume ?? { epoch: 0, stepInEpoch: 0, step: 0, running: emptyTotals(), history: [] }
  let savedStep = options.resume?.step
  const save = async (at: LoopPosition): Promise<void> => {
    if (checkpointPath === undefined) return
    await saveCheckpointFile(checkpointPath, captureCheckpoint(session, at))
    savedStep = at.step
  }
  for (let epoch = position.epoch; epoch < epochs; epoch++) {
    const order = seededPermutation(train.count, deriveSeed(shuffleSeed, epoch))
    const running: RunningTotals = position.epoch === epoch ? { ...position.running, termSums: { ...position.running.termSums } } : emptyTotals()
    let learningRate = 0
    for (let stepInEpoch = position.epoch === epoch ? position.stepInEpoch : 0; stepInEpoch < stepsPerEpoch; stepInEpoch++) {
      const step = epoch * stepsPerEpoch + stepInEpoch
      const started = performance.now()
      const indices = order.subarray(stepInEpoch * batchSize, Math.min(train.count, (stepInEpoch + 1) * batchSize))
      const images = new Float32Array(indices.length * size)
      const labels = new Int32Array(indices.length)
      indices.forEach((item, i) => {
        images.set(train.images.subarray(item * size, (item + 1) * size), i * size)
        labels[i] = train.labels[item] as number
      })
      const input = augmentBatch(session.config.augment, images, indices.length, train.itemShape, deriveSeed(augmentSeed, step))
      learningRate = learningRateAt(session.config.learningRate, session.config.schedule, session.config.warmupEpochs, { step, stepsPerEpoch, epochs })
      const result = trainStep(session, { images: input, labels, indices }, { step, epoch, epochs }, learningRate)
      if (!Number.isFinite(result.loss)) {
        const kept =
          checkpointPath === undefined
            ? 'no checkpoint was requested'
            : savedStep === undefined
              ? 'no checkpoint had been written yet'
              : `the last good checkpoint (after step ${savedStep}) is kept at ${checkpointPath}`
        throw new DivergenceError(`training diverged: the loss is ${result.loss} at epoch ${epoch + 1}, step ${step + 1} (learning rate ${learningRate}); lower --lr or check the data; ${kept}`, {
          epoch: epoch + 1,
          step: step + 1,
          learningRate,
          checkpoint: savedStep === undefined ? null : (checkpointPath ?? null),
          checkpointStep: savedStep ?? null,
        })
      }
      running.lossSum += result.loss * labels.length
      for (const [name, value] of Object.entries(result.terms)) running.termSums[name] = (running.termSums[name] ?? 0) + value * labels.length
      running.correct += result.correct
      running.seen += labels.length
      running.seconds += (performance.now() - started) / 1000
      progress.step({ epoch, epochs, stepInEpoch: stepInEpoch + 1, stepsPerEpoch, loss: running.lossSum / running.seen, accuracy: running.correct / running.seen, samplesPerSecond: running.seen / running.seconds })
      if (shouldStop() && stepInEpoch + 1 < stepsPerEpoch) {
        position = { epoch, stepInEpoch: stepInEpoch + 1, step: step + 1, running, history: position.history }
        await save(position)
        return { status: 'stopped', position, history: position.history }
      }
    }
    const record = finishEpoch(session, epoch, running, learningRate, validation)
    position = { epoch: epoch + 1, stepInEpoch: 0, step: (epoch + 1) * stepsPerEpoch, running: emptyTotals(), history: [...position.history, record] }
    progress.epoch(describeEpoch(record, epochs))
    await save(position)
    if (shouldStop() && epoch + 1 < epochs) return { status: 'stopped', position, history: position.history }
  }
  return { status: 'completed', position, history: position.history }
}

function finishEpoch(session: TrainingSession, epoch: number, running: RunningTotals, learningRate: number, validation: Dataset | undefined): EpochRecord {
  let validationAccuracy: number | null = null
  let validationNll: number | null = null
  if (validation !== undefined && validation.count > 0) {
    const logits = validationLogits(session, validation)
    validationNll = negativeLogLikelihoodFromLogits(matrix(logits, validation.count, session.classes), validation.labels, 1)
    const logitRows = matrix(logits, validation.count, session.classes)
    let correct = 0
    for (let i = 0; i < validation.count; i++) if (argmax(row(logitRows, i)) === validation.labels[i]) correct++
    validationAccuracy = correct / validation.count
  }
  const seen = Math.max(1, running.seen)
  return {
    epoch: epoch + 1,
    learningRate,
    loss: running.lossSum / seen,
    terms: Object.fromEntries(Object.entries(running.termSums).map(([name, sum]) => [name, sum / seen])),
    accuracy: running.correct / seen,
    validationAccuracy,
    validationNll,
    seconds: running.seconds,
    samplesPerSecond: running.seen / Math.max(1e-9, running.seconds),
  }
}

/** z0 = hW + b of every validation item (no dropout), N x C. */
function validationLogits(session: TrainingSession, validation: Dataset): Float32Array {
  const features = forwardFeatures(session.backbone.model, validation.images, validation.count, validation.itemShape)
  const logits = tf.tidy(() => headLogits(tf.tensor2d(features, [validation.count, session.backbone.featureDim]), session.head))
  try {
    return logits.dataSync() as Float32Array
  } finally {
    logits.dispose()
  }
}

function describeEpoch(record: EpochRecord, epochs: number): string {
  const terms = Object.entries(record.terms)
    .map(([name, value]) => `${name} ${value.toFixed(4)}`)
    .join(' ')
  const validation = record.validationAccuracy === null ? '' : ` | val acc ${(100 * record.validationAccuracy).toFixed(2)}% nll ${(record.validationNll ?? 0).toFixed(4)}`
  return `epoch ${record.epoch}/${epochs} loss ${record.loss.toFixed(4)} (${terms}) acc ${(100 * record.accuracy).toFixed(2)}%${validation} | lr ${record.learningRate.toPrecision(3)} ${Math.round(record.samplesPerSecond)} samples/s ${record.seconds.toFixed(1)} s`
}

function emptyTotals(): RunningTotals {
  return { lossSum: 0, termSums: {}, correct: 0, seen: 0, seconds: 0 }
}
