import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError, OptionError } from '../errors.js'
import { readBundle } from '../format/read-bundle.js'
import type { SdModel } from '../model/sd-model.js'
import { loadModel } from '../node.js'
import { loadFineTunableTestModel, rankedTask } from './test-fine-tune-data.js'

let model: SdModel

beforeAll(async () => {
  model = await loadFineTunableTestModel()
})
afterAll(() => model.dispose())

describe('model.fineTune with a changed label set', () => {
  it('extends the classes: a fourth label is learnt and served', async () => {
    const task = rankedTask(400, 31, 4)
    const names = ['cat', 'dog', 'eel', 'fox']
    const labels = task.labels.map((g) => names[g] as string)
    const result = await model.fineTune(task.inputs, labels, { classes: { mode: 'extend', labels: ['fox'] }, epochs: 40, learningRate: 0.05, lambda: 0 })
    expect(result.manifest.labels).toStrictEqual(names)
    expect(result.manifest.head).toMatchObject({ classes: 4, inputDim: 6 })
    expect(result.manifest.provenance.hyperParameters).toMatchObject({ classes: { mode: 'extend', labels: ['fox'] }, newClasses: ['fox'] })
    // before: the parent never says fox, and knows nothing of this labelling (measured 0.25)
    expect(result.metrics.before?.accuracy).toBeLessThan(0.3)
    expect(result.metrics.after.accuracy).toBeGreaterThanOrEqual(0.75) // MC accuracy at S = 16 (what predict serves): measured 0.775 on 80 held-out items
    const adapted = await loadModel(result.bundle)
    try {
      const predictions = await adapted.predict(task.inputs)
      const foxes = predictions.flatMap((p, i) => (p.label === 'fox' ? [i] : []))
      expect(foxes.length).toBeGreaterThan(80) // 100 of the 400 items are foxes; measured 123 predicted, 100 of them right
      expect(foxes.filter((i) => labels[i] === 'fox').length / foxes.length).toBeGreaterThan(0.8)
      expect(predictions[0]?.probabilities).toHaveLength(4)
    } finally {
      adapted.dispose()
    }
  })

  it('replaces the classes, with no parent comparison when labels are dropped', async () => {
    const task = rankedTask(300, 41, 2)
    const result = await model.fineTune(task.inputs, task.labels.map((g) => (g === 0 ? 'low' : 'high')), {
      classes: { mode: 'replace', labels: ['low', 'high'] },
      epochs: 40,
      learningRate: 0.05,
    })
    expect(result.manifest.labels).toStrictEqual(['low', 'high'])
    expect(result.metrics.before).toBeNull()
    expect(result.metrics.after.accuracy).toBeGreaterThanOrEqual(0.85)
    const child = await readBundle(result.bundle)
    expect(child.part('head.weight').shape).toStrictEqual([6, 2])
    expect(child.part('ood.mahalanobis.means').shape).toStrictEqual([2, 6])
  })

  it('keeps the columns of labels it already has when replacing by a reordering', async () => {
    const task = rankedTask(150, 51)
    const names = ['eel', 'dog', 'cat']
    const result = await model.fineTune(task.inputs, task.labels, { classes: { mode: 'replace', labels: names }, epochs: 1, learningRate: 1e-9, optimizer: 'sgd', momentum: 0 })
    const parent = await model.fineTune(task.inputs, task.labels.map((g) => names[g] as string), { epochs: 1, learningRate: 1e-9, optimizer: 'sgd', momentum: 0 })
    expect(result.metrics.before).not.toBeNull()
    expect(result.manifest.provenance.hyperParameters).toMatchObject({ newClasses: [] })
    // with a vanishing step both heads stay the parent's, columns permuted: eel, dog, cat = columns 2, 1, 0
    const permuted = (await readBundle(result.bundle)).float32('head.weight')
    const kept = (await readBundle(parent.bundle)).float32('head.weight')
    for (let d = 0; d < 6; d++) for (let c = 0; c < 3; c++) expect(permuted[d * 3 + c]).toBeCloseTo(kept[d * 3 + (2 - c)] as number, 6)
  })

  it('refuses a new class without examples and an extension by a label the model has', async () => {
    const task = rankedTask(60, 61)
    await expect(model.fineTune(task.inputs, task.labels, { classes: { mode: 'extend', labels: ['fox'] } })).rejects.toThrow(InputError)
    await expect(model.fineTune(task.inputs, task.labels, { classes: { mode: 'extend', labels: ['fox'] } })).rejects.toThrow(/new classes need training examples; "fox" have none/)
    await expect(model.fineTune(task.inputs, task.labels, { classes: { mode: 'extend', labels: ['dog'] } })).rejects.toThrow(OptionError)
    await expect(model.fineTune(task.inputs, task.labels, { classes: { mode: 'replace', labels: ['a'] } })).rejects.toThrow(/at least 2 labels/)
  })
})
