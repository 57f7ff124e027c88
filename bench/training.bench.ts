import { performance } from 'node:perf_hooks'
import { createTrainingSession, loadMnistSplit, SD_DROPOUT_DEFAULTS, selectBackend, trainStep, type ModelSpec, type TrainConfig, type TrainingSession } from '@sd-dropout/training'
import { median, round, type BenchReport } from './report.js'

/**
 * Training speed on the wasm backend: one optimisation step of CE and of SD-Dropout (K = 2, the
 * official setting) for each backbone, timed in interleaved rounds in one process so the ratio
 * compares like with like. Goal (issue 3): SD-Dropout step time / CE step time <= 1.15.
 */
export default async function run(): Promise<BenchReport> {
  const backend = await selectBackend('wasm')
  const train = loadMnistSplit().train
  const batchSize = 128
  const images = train.images.subarray(0, batchSize * 784)
  const labels = train.labels.subarray(0, batchSize)
  const indices = Int32Array.from({ length: batchSize }, (_, i) => i)
  const models: { name: string; spec: ModelSpec; rounds: number }[] = [
    { name: 'mlp 256-128', spec: { architecture: 'mlp', hidden: [256, 128] }, rounds: 15 },
    { name: 'cnn w16 (default)', spec: { architecture: 'cnn', width: 16 }, rounds: 7 },
    { name: 'resnet-8 w16', spec: { architecture: 'resnet', depth: 8, width: 16 }, rounds: 3 },
  ]
  const rows: Record<string, string | number>[] = []
  const goals: BenchReport['goals'][number][] = []
  for (const { name, spec, rounds } of models) {
    const config = (method: string): TrainConfig => ({
      model: spec,
      method,
      sd: SD_DROPOUT_DEFAULTS,
      epochs: 1,
      batchSize,
      seed: 0,
      optimizer: { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-4 },
      learningRate: 1e-3,
      schedule: { kind: 'constant' },
      warmupEpochs: 0,
      augment: 'none',
    })
    const sessions: Record<'ce' | 'sd', TrainingSession> = {
      ce: createTrainingSession(config('ce'), [28, 28, 1], 10),
      sd: createTrainingSession(config('sd-dropout'), [28, 28, 1], 10),
    }
    const times: Record<'ce' | 'sd', number[]> = { ce: [], sd: [] }
    let step = 0
    const once = (which: 'ce' | 'sd'): number => {
      const started = performance.now()
      trainStep(sessions[which], { images, labels, indices }, { step: step++, epoch: 0, epochs: 1 }, 1e-3)
      return performance.now() - started
    }
    once('ce')
    once('sd')
    for (let r = 0; r < rounds; r++) {
      times.ce.push(once('ce'))
      times.sd.push(once('sd'))
    }
    const ce = median(times.ce)
    const sd = median(times.sd)
    const ratio = sd / ce
    rows.push({
      model: name,
      'CE ms/step': round(ce),
      'SD-Dropout ms/step': round(sd),
      'SD/CE': round(ratio),
      'CE samples/s': Math.round((batchSize / ce) * 1000),
      'SD-Dropout samples/s': Math.round((batchSize / sd) * 1000),
    })
    goals.push({ name: `SD-Dropout / CE step time, ${name}`, value: round(ratio), goal: '<= 1.15', met: ratio <= 1.15 })
    sessions.ce.dispose()
    sessions.sd.dispose()
  }
  return {
    title: 'training step time, CE vs SD-Dropout (batch 128, 28x28 MNIST)',
    rows,
    goals,
    notes: [`${backend.description}; medians of interleaved rounds; Adam; SD-Dropout p = 0.5, tau = 3, K = 2.`],
  }
}
