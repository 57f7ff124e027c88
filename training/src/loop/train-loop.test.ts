import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DivergenceError } from '@sd-dropout/sdk'
import { selectBackend } from '../backend/select-backend.js'
import { subset } from '../data/dataset.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { SD_DROPOUT_DEFAULTS } from '../methods/sd-dropout/sd-dropout-loss.js'
import { checkpointConfig, restoreCheckpoint } from './checkpoint.js'
import { loadCheckpointFile } from './checkpoint-file.js'
import type { TrainConfig } from './train-config.js'
import { trainLoop } from './train-loop.js'
import { createTrainingSession, type TrainingSession } from './training-session.js'

const dir = mkdtempSync(join(tmpdir(), 'sdd-loop-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const config: TrainConfig = {
  model: { architecture: 'mlp', hidden: [24, 16] },
  method: 'sd-dropout',
  sd: SD_DROPOUT_DEFAULTS,
  epochs: 2,
  batchSize: 32,
  seed: 5,
  optimizer: { kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 },
  learningRate: 0.05,
  schedule: { kind: 'cosine', minimum: 0 },
  warmupEpochs: 0.5,
  augment: 'shift',
}

function weightsOf(session: TrainingSession): number[][] {
  return [...session.backbone.model.weights.map((w) => Array.from(w.read().dataSync())), Array.from(session.head.weight.dataSync()), Array.from(session.head.bias.dataSync())]
}

describe('trainLoop', () => {
  const split = loadMnistSplit()
  const train = subset(split.train, Array.from({ length: 150 }, (_, i) => i), 'train/150')
  const validation = subset(split.validation, Array.from({ length: 60 }, (_, i) => i), 'validation/60')

  beforeAll(async () => {
    await selectBackend('cpu')
  })

  it('learns: the loss falls and validation accuracy rises well above chance', async () => {
    const session = createTrainingSession({ ...config, method: 'ce', epochs: 6, augment: 'none', schedule: { kind: 'constant' }, warmupEpochs: 0, optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 }, learningRate: 0.01 }, train.itemShape, 10)
    const result = await trainLoop(session, { train, validation })
    session.dispose()
    expect(result.status).toBe('completed')
    expect(result.history).toHaveLength(6)
    const first = result.history[0]
    const last = result.history[5]
    expect(last?.loss).toBeLessThan(first?.loss ?? 0)
    expect(last?.validationAccuracy).toBeGreaterThan(0.55)
    expect(Object.keys(last?.terms ?? {})).toStrictEqual(['ce'])
  })

  it('resumes exactly: stopping mid-epoch and resuming gives the weights of an uninterrupted run', async () => {
    const straight = createTrainingSession(config, train.itemShape, 10)
    const reference = await trainLoop(straight, { train, validation })
    const expected = weightsOf(straight)
    straight.dispose()

    const checkpointPath = join(dir, 'run.ckpt')
    const first = createTrainingSession(config, train.itemShape, 10)
    let steps = 0
    const stopped = await trainLoop(first, { train, validation, checkpointPath, shouldStop: () => ++steps === 3 })
    first.dispose()
    expect(stopped.status).toBe('stopped')
    expect(stopped.position).toMatchObject({ epoch: 0, stepInEpoch: 3, step: 3 })

    const contents = await loadCheckpointFile(checkpointPath)
    const resumed = createTrainingSession(checkpointConfig(contents), train.itemShape, 10)
    const position = restoreCheckpoint(resumed, contents)
    const result = await trainLoop(resumed, { train, validation, checkpointPath, resume: position })
    expect(result.status).toBe('completed')
    expect(weightsOf(resumed)).toStrictEqual(expected)
    expect(result.history.map((r) => r.loss)).toStrictEqual(reference.history.map((r) => r.loss))
    resumed.dispose()
  })

  it('stops on a NaN loss with a clear message and keeps the last good checkpoint', async () => {
    const checkpointPath = join(dir, 'nan.ckpt')
    const tensorsBefore = tf.memory().numTensors
    const session = createTrainingSession(config, train.itemShape, 10)
    const good = await trainLoop(session, { train, checkpointPath, shouldStop: () => true })
    expect(good.position).toMatchObject({ epoch: 0, stepInEpoch: 1, step: 1 })
    const contents = await loadCheckpointFile(checkpointPath)
    const poisoned = { ...train, images: new Float32Array(train.images.length).fill(Number.NaN) }
    const run = trainLoop(session, { train: poisoned, checkpointPath, resume: restoreCheckpoint(session, contents) })
    await expect(run).rejects.toThrow(DivergenceError)
    await expect(run).rejects.toMatchObject({ code: 'divergence_error', details: { epoch: 1, step: 2, checkpoint: checkpointPath, checkpointStep: 1 } })
    await expect(trainLoop(session, { train: poisoned, checkpointPath, resume: restoreCheckpoint(session, contents) })).rejects.toThrow(
      /training diverged: the loss is NaN at epoch 1, step 2 .*the last good checkpoint \(after step 1\) is kept at .*nan\.ckpt/,
    )
    const after = await loadCheckpointFile(checkpointPath)
    expect(after.tensors).toStrictEqual(contents.tensors)
    session.dispose()
    expect(tf.memory().numTensors).toBe(tensorsBefore)
  })
})
