import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readBundle } from '../format/read-bundle.js'
import { loadModel } from '../node.js'
import type { SdModel } from '../model/sd-model.js'
import { testBundle } from '../model/test-model.js'
import { fineTuneDataHash } from './fine-tune-data-hash.js'
import type { FineTuneProgress } from './fine-tune-options.js'
import { loadFineTunableTestModel, rankedTask } from './test-fine-tune-data.js'

let model: SdModel
let parentBytes: Uint8Array
const task = rankedTask(300, 21)
const NAMES = ['cat', 'dog', 'eel']

beforeAll(async () => {
  parentBytes = await testBundle()
  model = await loadFineTunableTestModel(parentBytes)
})
afterAll(() => model.dispose())

describe('model.fineTune on the test model (a labelling it does not know)', () => {
  it('improves held-out accuracy from chance and re-calibrates (lambda 0.1, tau 1; Adam, learning rate 0.05)', async () => {
    const events: FineTuneProgress[] = []
    const result = await model.fineTune(task.inputs, task.labels, { epochs: 40, lambda: 0.1, learningRate: 0.05, seed: 3, onProgress: (e) => events.push(e) })
    expect(result.kernel).toBe('wasm-simd')
    expect(result.split).toStrictEqual({ train: 300, heldOut: 300, folds: 5 }) // cross-fitting: every example trains and, out of fold, calibrates
    // the test model's own head knows nothing of this labelling: 20 of 60 held-out items right
    expect(result.metrics.before?.accuracy).toBeCloseTo(1 / 3, 12)
    // MC accuracy at S = 16 (what predict serves); D = 6 features limit a linear head here
    expect(result.metrics.after.accuracy).toBeGreaterThanOrEqual(0.75)
    expect(result.metrics.after.items).toBe(300)
    expect(result.metrics.after.nll).toBeLessThan((result.metrics.before?.nll ?? 0) / 2) // measured 0.33 vs 1.10
    expect(result.metrics.after.ece).toBeLessThan(0.15) // measured 0.10 (60 items, 15 bins)
    const first = result.history[0]
    const last = result.history.at(-1)
    expect(result.history).toHaveLength(40)
    expect(last?.loss).toBeLessThan((first?.loss ?? 0) * 0.6) // measured 0.56 vs 1.06
    expect(last?.accuracy).toBeGreaterThan(0.85)
    expect(last?.loss).toBeCloseTo((last?.crossEntropy ?? 0) + 0.1 * (last?.distillation ?? 0), 12)
    // progress (the deployed head only, not the fold heads): 10 steps per epoch (300 / 32), then one epoch event, 40 times
    expect(events.filter((e) => e.type === 'step')).toHaveLength(400)
    expect(events.filter((e) => e.type === 'epoch')).toHaveLength(40)
    expect(events[10]).toStrictEqual({ type: 'epoch', epochs: 40, ...first })
    expect(events[11]).toMatchObject({ type: 'step', epoch: 1, step: 10, stepsPerEpoch: 10, epochs: 40 })
    for (const e of events) {
      expect(Number.isFinite(e.loss)).toBe(true)
      expect(e.accuracy).toBeGreaterThanOrEqual(0)
      expect(e.accuracy).toBeLessThanOrEqual(1)
    }
  })

  it('writes a bundle that loads, predicts, names its parent and reuses the backbone parts unchanged', async () => {
    const result = await model.fineTune(task.inputs, task.labels, { epochs: 30, learningRate: 0.05, lambda: 0.1, name: 'test-model-adapted', id: 'adapted-1', dataName: 'ranked task' })
    const parent = await readBundle(parentBytes)
    const child = await readBundle(result.bundle)
    expect(child.manifest).toStrictEqual(result.manifest)
    expect(child.manifest).toMatchObject({ id: 'adapted-1', name: 'test-model-adapted', labels: NAMES })
    expect(child.manifest.provenance).toMatchObject({
      method: 'fine-tune+sd-dropout',
      parentId: 'test-model-20261122T000000Z-00000001',
      seed: 0,
      command: 'SdModel.fineTune',
      backend: 'sdk-wasm-simd',
      data: { name: 'ranked task', items: 300, sha256: await fineTuneDataHash(task.inputs, Int32Array.from(task.labels), NAMES) },
    })
    expect(child.manifest.provenance.hyperParameters).toMatchObject({
      epochs: 30,
      learningRate: 0.05,
      optimizer: 'adam',
      batchSize: 32,
      dropoutRate: 0.5,
      temperature: 1,
      lambda: 0.1,
      detach: false,
      folds: 5,
      validationFraction: 0.2,
      calibrationObjective: 'brier',
      classes: { mode: 'keep' },
      split: { train: 300, heldOut: 300, folds: 5 },
      parentSha256: model.info.sha256,
    })
    for (const part of ['backbone.topology', 'backbone.weights']) expect(child.part(part).sha256).toBe(parent.part(part).sha256)
    expect(child.manifest.ood).toMatchObject({ score: 'mutual-information', samples: 16, seed: 0, targetAcceptance: 0.95 })
    expect(Object.keys(child.manifest.ood.thresholds).sort()).toStrictEqual(['energy', 'entropy', 'mahalanobis', 'max-logit', 'mc-entropy', 'msp', 'mutual-information'])
    expect(child.manifest.ood.mahalanobis?.fittedOn).toBe(300)
    expect(child.manifest.calibration.fittedOn).toBe(300)
    expect(child.manifest.metrics['fine-tune-held-out']).toStrictEqual(result.metrics.after)

    const adapted = await loadModel(result.bundle)
    try {
      const predictions = await adapted.predict(task.inputs.subarray(0, 64 * 100))
      const correct = predictions.filter((p, i) => p.classIndex === task.labels[i]).length
      expect(correct).toBeGreaterThanOrEqual(80) // measured 84 of these 100 (240 of them were training items)
      expect(predictions[0]?.label).toBe(NAMES[predictions[0]?.classIndex ?? -1])
    } finally {
      adapted.dispose()
    }
  })

  it('is reproducible for a seed, and the wasm and TypeScript kernels train the same head', async () => {
    const options = { epochs: 5, seed: 9, id: 'x' }
    const heads = await Promise.all(
      (['wasm-simd', 'wasm-simd', 'typescript'] as const).map(async (kernel) => {
        const result = await model.fineTune(task.inputs, task.labels, { ...options, kernel })
        expect(result.kernel).toBe(kernel)
        return (await readBundle(result.bundle)).float32('head.weight')
      }),
    )
    expect(Array.from(heads[1] ?? [])).toStrictEqual(Array.from(heads[0] ?? []))
    const difference = Math.max(...Array.from(heads[0] ?? [], (v, k) => Math.abs(v - (heads[2]?.[k] ?? 0))))
    expect(difference).toBeLessThan(1e-3)
    const other = await model.fineTune(task.inputs, task.labels, { ...options, seed: 10 })
    expect(Array.from((await readBundle(other.bundle)).float32('head.weight'))).not.toStrictEqual(Array.from(heads[0] ?? []))
  })

  it('re-calibrates by the chosen objective only: the same head, each temperature best at its own score on the out-of-fold items', async () => {
    const options = { epochs: 10, seed: 4, id: 'x' }
    const [byBrier, byNll] = await Promise.all((['brier', 'nll'] as const).map((calibrationObjective) => model.fineTune(task.inputs, task.labels, { ...options, calibrationObjective })))
    if (byBrier === undefined || byNll === undefined) throw new Error('two results')
    expect(Array.from((await readBundle(byBrier.bundle)).float32('head.weight'))).toStrictEqual(Array.from((await readBundle(byNll.bundle)).float32('head.weight')))
    expect(byBrier.manifest.calibration.temperature).not.toBe(byNll.manifest.calibration.temperature)
    expect(byBrier.metrics.after.brier).toBeLessThanOrEqual(byNll.metrics.after.brier + 1e-9)
    expect(byNll.metrics.after.nll).toBeLessThanOrEqual(byBrier.metrics.after.nll + 1e-9)
    expect(byNll.manifest.provenance.hyperParameters).toMatchObject({ calibrationObjective: 'nll' })
  })

  it('leaves the model itself unchanged and holds no tfjs tensors after', async () => {
    const sample = task.inputs.subarray(0, 64 * 5)
    const before = await model.predict(sample)
    const tensors = tf.memory().numTensors
    await model.fineTune(task.inputs, task.labels, { epochs: 3 })
    expect(tf.memory().numTensors).toBe(tensors)
    expect(await model.predict(sample)).toStrictEqual(before)
  })

  it('records plain cross-entropy fine-tuning (lambda 0) as method fine-tune+ce', async () => {
    const result = await model.fineTune(task.inputs, task.labels, { epochs: 30, learningRate: 0.05, lambda: 0, optimizer: 'sgd', momentum: 0.9 })
    expect(result.manifest.provenance.method).toBe('fine-tune+ce')
    expect(result.history.every((record) => record.distillation === 0)).toBe(true)
    expect(result.metrics.after.accuracy).toBeGreaterThanOrEqual(0.8) // MC accuracy at S = 16: measured 0.83
  })
})
