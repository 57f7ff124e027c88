import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend/select-backend.js'
import { subset } from '../data/dataset.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { checkpointConfig, restoreCheckpoint } from './checkpoint.js'
import { loadCheckpointFile } from './checkpoint-file.js'
import type { TrainConfig } from './train-config.js'
import { trainLoop } from './train-loop.js'
import { createTrainingSession, type TrainingSession } from './training-session.js'

// `--resume` is exact for the self-KD peers too: PS-KD's stored predictions, FRSKD's self-teacher and
// LSSKD's auxiliary classifiers (and their optimiser slots) go into the checkpoint. A run stopped
// mid-way through its second epoch and resumed must end with the weights of an uninterrupted run.

const dir = mkdtempSync(join(tmpdir(), 'sdd-resume-peers-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const split = loadMnistSplit()
const train = subset(split.train, Array.from({ length: 64 }, (_, i) => i), 'train/64')
const config = (method: string): TrainConfig => ({
  model: { architecture: 'cnn', width: 2 },
  method,
  sd: { rate: 0.2, temperature: 1, weight: 0.1, detach: false, samples: 2 },
  peers: { frskd: { depth: 1 } },
  epochs: 2,
  batchSize: 16,
  seed: 11,
  optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 },
  learningRate: 0.01,
  schedule: { kind: 'cosine', minimum: 0 },
  warmupEpochs: 0,
  augment: 'shift',
})

function everyWeight(session: TrainingSession): Record<string, number[]> {
  const out: Record<string, number[]> = {}
  for (const weight of session.backbone.model.weights) out[`backbone/${weight.originalName}`] = Array.from(weight.read().dataSync())
  for (const { name, variable } of session.variables) out[name] = Array.from(variable.dataSync())
  return out
}

beforeAll(async () => {
  await selectBackend('wasm')
})

describe('resume of the self-KD peers', () => {
  it.each(['ps-kd+sd-dropout', 'frskd', 'lsskd'])('%s: stop in epoch 2 + resume = an uninterrupted run', async (method) => {
    const tensorsBefore = tf.memory().numTensors
    const straight = createTrainingSession(config(method), train.itemShape, 10)
    const reference = await trainLoop(straight, { train })
    const expected = everyWeight(straight)
    const expectedState = straight.method.saveState?.()
    straight.dispose()
    expect(tf.memory().numTensors).toBe(tensorsBefore)

    const checkpointPath = join(dir, `${method}.ckpt`)
    const first = createTrainingSession(config(method), train.itemShape, 10)
    let steps = 0
    const stopped = await trainLoop(first, { train, checkpointPath, shouldStop: () => ++steps === 6 })
    first.dispose()
    expect(stopped.position).toMatchObject({ epoch: 1, stepInEpoch: 1, step: 5 })

    const contents = await loadCheckpointFile(checkpointPath)
    const resumed = createTrainingSession(checkpointConfig(contents), train.itemShape, 10)
    const result = await trainLoop(resumed, { train, checkpointPath, resume: restoreCheckpoint(resumed, contents) })
    expect(result.status).toBe('completed')
    const actual = everyWeight(resumed)
    expect(Object.keys(actual)).toStrictEqual(Object.keys(expected))
    for (const [name, values] of Object.entries(expected)) expect(actual[name], name).toStrictEqual(values)
    expect(result.history.map((r) => r.loss)).toStrictEqual(reference.history.map((r) => r.loss))
    expect(resumed.method.saveState?.()).toStrictEqual(expectedState)
    if (method !== 'ps-kd+sd-dropout') expect(Object.keys(actual).some((name) => name.startsWith('method/'))).toBe(true)
    resumed.dispose()
  })
})
