import { readFileSync } from 'node:fs'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { loadBackbone, loadModel, readBundle } from '@sd-dropout/sdk'
import { round, timeInterleaved, type BenchReport } from './report.js'

const BUNDLE = 'models/mnist-sd-dropout/model.sdd'
const SAMPLES = 32

/**
 * The SDK on the default model: predict with S = 32 MC-dropout samples (backbone once, fused head
 * kernel S times) against a deterministic predict (S = 0), and against the naive path a tfjs user
 * would write: S full forward passes of backbone + tfjs Dropout + Dense with `training: true`,
 * softmax statistics in tfjs ops. Same process, same inputs, side by side.
 */
export default async function run(): Promise<BenchReport> {
  const bytes = new Uint8Array(readFileSync(BUNDLE))
  const model = await loadModel(bytes)
  const bundle = await readBundle(bytes)
  const naive = await naiveModel(bundle)
  const rows: Record<string, string | number>[] = []
  const ratios: Record<string, number> = {}
  for (const batch of [1, 32]) {
    const inputs = Float32Array.from({ length: batch * model.info.inputSize }, (_, i) => ((i * 7919) % 255) / 255)
    const times = await timeInterleaved(
      {
        mc: () => model.predict(inputs, { samples: SAMPLES }),
        deterministic: () => model.predict(inputs, { samples: 0, oodScore: 'energy' }),
        naive: () => naive(inputs, batch),
      },
      { iterations: batch === 1 ? { mc: 200, deterministic: 200, naive: 10 } : { mc: 20, deterministic: 20, naive: 2 } },
    )
    const { mc, deterministic, naive: naivePath } = times as { mc: number; deterministic: number; naive: number }
    ratios[`mcVsDeterministic${batch}`] = mc / deterministic
    ratios[`naiveVsMc${batch}`] = naivePath / mc
    rows.push(
      { batch, path: `sdk predict, S = ${SAMPLES} (fused head)`, 'us/call': round(mc), 'us/item': round(mc / batch) },
      { batch, path: 'sdk predict, S = 0 (deterministic)', 'us/call': round(deterministic), 'us/item': round(deterministic / batch) },
      { batch, path: `naive tfjs: ${SAMPLES} full forward passes with Dropout`, 'us/call': round(naivePath), 'us/item': round(naivePath / batch) },
    )
  }
  model.dispose()
  const goal = (name: string, value: number, text: string, met: boolean) => ({ name, value: round(value), goal: text, met })
  return {
    title: `SDK predict on the default model (${BUNDLE}), backbone ${model.runtime.backbone}, head ${model.runtime.head}`,
    rows,
    goals: [
      goal('S = 32 / deterministic, batch 32', ratios.mcVsDeterministic32 as number, '<= 1.5x', (ratios.mcVsDeterministic32 as number) <= 1.5),
      goal('S = 32 / deterministic, batch 1', ratios.mcVsDeterministic1 as number, '<= 1.5x', (ratios.mcVsDeterministic1 as number) <= 1.5),
      goal('naive / fused, batch 32', ratios.naiveVsMc32 as number, '>= 10x', (ratios.naiveVsMc32 as number) >= 10),
      goal('naive / fused, batch 1', ratios.naiveVsMc1 as number, '>= 10x', (ratios.naiveVsMc1 as number) >= 10),
    ],
    notes: ['Inputs are fixed pseudo-images; the three paths run interleaved, round by round (median of 9 rounds); tfjs runs on tfjs-backend-wasm (SIMD, one thread). The S = 32 path uses the bundle\'s default OOD score, the deterministic one energy.'],
  }
}

/** backbone -> Dropout(p) -> Dense(C) as one tfjs model, with the bundle's head weights. */
async function naiveModel(bundle: Awaited<ReturnType<typeof readBundle>>): Promise<(inputs: Float32Array, batch: number) => Promise<unknown>> {
  const m = bundle.manifest
  const backbone = await loadBackbone(bundle)
  const input = tfl.input({ shape: [...m.input.shape] })
  const features = backbone.apply(input) as tfl.SymbolicTensor
  const dropped = tfl.layers.dropout({ rate: m.head.dropoutRate }).apply(features) as tfl.SymbolicTensor
  const dense = tfl.layers.dense({ units: m.head.classes })
  const full = tfl.model({ inputs: input, outputs: dense.apply(dropped) as tfl.SymbolicTensor })
  dense.setWeights([tf.tensor2d(bundle.float32(m.head.weightPart), [m.head.inputDim, m.head.classes]), tf.tensor1d(bundle.float32(m.head.biasPart))])
  const temperature = m.calibration.temperature
  return async (inputs, batch) => {
    const stats = tf.tidy(() => {
      const x = tf.tensor(inputs, [batch, ...m.input.shape])
      const probabilities = tf.stack(Array.from({ length: SAMPLES }, () => tf.softmax(tf.div(full.apply(x, { training: true }) as tf.Tensor2D, temperature))))
      const mean = tf.mean(probabilities, 0)
      const entropy = (p: tf.Tensor) => tf.neg(tf.sum(tf.mul(p, tf.log(tf.add(p, 1e-12))), -1))
      const predictive = entropy(mean)
      const expected = tf.mean(entropy(probabilities), 0)
      return tf.concat([mean, tf.expandDims(predictive, 1), tf.expandDims(tf.sub(predictive, expected), 1)], 1)
    })
    const values = await stats.data()
    stats.dispose()
    return values
  }
}
