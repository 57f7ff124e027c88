import { describe, expect, it } from 'vitest'
import { deriveSeed } from '../masks/dropout-mask.js'
import type { FineTuneProgress } from './fine-tune-options.js'
import type { HeadGradientInput, HeadGradientKernel } from './head-gradient-kernel.js'
import { SHUFFLE_STREAM, seededPermutation } from './seeded-order.js'
import { trainHead, type HeadTrainingInput } from './train-head.js'
import { createTypeScriptHeadGradientKernel } from './typescript-head-gradient-kernel.js'

function input(kernel: HeadGradientKernel = createTypeScriptHeadGradientKernel()): HeadTrainingInput {
  return {
    features: Float32Array.from({ length: 10 * 3 }, (_, k) => ((k * 7) % 5) / 4),
    labels: Int32Array.from({ length: 10 }, (_, i) => i % 2),
    train: Int32Array.of(0, 2, 3, 5, 6, 8, 9),
    featureDim: 3,
    classes: 2,
    weight: new Float32Array(6),
    bias: new Float32Array(2),
    settings: { epochs: 3, batchSize: 3, optimizer: 'sgd', learningRate: 0.5, momentum: 0.9, weightDecay: 0, seed: 4, loss: { dropoutRate: 0.5, temperature: 2, lambda: 1, detach: false } },
    kernel,
  }
}

describe('trainHead', () => {
  it('steps through seeded shuffles in batches, with masks seeded per epoch, and reports means per epoch', async () => {
    const calls: HeadGradientInput[] = []
    const reference = createTypeScriptHeadGradientKernel()
    const spy: HeadGradientKernel = {
      name: 'typescript',
      memoryBytes: () => 0,
      prepare: (shape) => {
        const inner = reference.prepare(shape)
        return { shape, dispose: () => inner.dispose(), gradient: (step) => (calls.push({ ...step, examples: step.examples.slice() }), inner.gradient(step)) }
      },
    }
    const events: FineTuneProgress[] = []
    const start = input(spy)
    const result = await trainHead({ ...start, onProgress: (e) => events.push(e) })
    expect(calls).toHaveLength(9) // 3 epochs of ceil(7 / 3) steps
    const order = seededPermutation(start.train, 4, SHUFFLE_STREAM, 1)
    expect(Array.from(calls[3]?.examples ?? [])).toStrictEqual(Array.from(order.subarray(0, 3)))
    expect(Array.from(calls[5]?.examples ?? [])).toStrictEqual(Array.from(order.subarray(6)))
    expect(calls.map((c) => c.loss.maskSeed)).toStrictEqual([0, 0, 0, 1, 1, 1, 2, 2, 2].map((e) => deriveSeed(4, e)))
    const steps = events.filter((e) => e.type === 'step')
    const firstEpoch = steps.slice(0, 3)
    const mean = ((firstEpoch[0]?.loss ?? 0) * 3 + (firstEpoch[1]?.loss ?? 0) * 3 + (firstEpoch[2]?.loss ?? 0) * 1) / 7
    expect(result.history[0]?.loss).toBeCloseTo(mean, 12)
    expect(Array.from(start.weight)).toStrictEqual([0, 0, 0, 0, 0, 0]) // the start is not modified
    expect(result.history.map((r) => r.epoch)).toStrictEqual([0, 1, 2])
  })

  it('is reproducible and lowers the loss on a separable toy set', async () => {
    // item i: h = [i mod 2, 1 - i mod 2, 0.5], label i mod 2
    const separable = input()
    const features = Float32Array.from({ length: 10 * 3 }, (_, k) => {
      const i = Math.floor(k / 3)
      return [i % 2, 1 - (i % 2), 0.5][k % 3] as number
    })
    const settings = { ...input().settings, epochs: 30, learningRate: 0.1, loss: { ...input().settings.loss, lambda: 0.1 } }
    const a = await trainHead({ ...separable, features, settings })
    const b = await trainHead({ ...separable, features, settings })
    expect(a).toStrictEqual(b)
    expect(a.history.at(-1)?.crossEntropy).toBeLessThan((a.history[0]?.crossEntropy ?? 0) / 2)
  })
})
