import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AbortedError, DivergenceError, InputError, KernelError, OptionError, ShapeError } from '../errors.js'
import { loadModelOn } from '../model/load-model.js'
import type { SdModel } from '../model/sd-model.js'
import { testBundle } from '../model/test-model.js'
import { nodePlatform } from '../platform/node-platform.js'
import type { FineTuneProgress } from './fine-tune-options.js'
import { loadFineTunableTestModel, rankedTask } from './test-fine-tune-data.js'

let model: SdModel
const task = rankedTask(100, 71)

beforeAll(async () => {
  model = await loadFineTunableTestModel()
})
afterAll(() => model.dispose())

describe('model.fineTune refuses bad input with typed errors', () => {
  it('mismatched lengths, unknown labels, an empty set, NaN', async () => {
    await expect(model.fineTune(task.inputs, task.labels.slice(1))).rejects.toThrow(ShapeError)
    await expect(model.fineTune(task.inputs, task.labels.slice(1))).rejects.toThrow(/labels: expected one label per input item \(100\), received 99 labels/)
    await expect(model.fineTune(task.inputs, ['cat', 'dog', 'wolf', ...task.labels.slice(3)])).rejects.toThrow(/label 2: unknown label "wolf"/)
    await expect(model.fineTune(task.inputs, [3, ...task.labels.slice(1)])).rejects.toThrow(InputError)
    await expect(model.fineTune(task.inputs, [0.5, ...task.labels.slice(1)])).rejects.toThrow(/not a label name or a class index/)
    await expect(model.fineTune(new Float32Array(0), [])).rejects.toThrow(/needs at least one labelled example/)
    const withNaN = task.inputs.slice()
    withNaN[64 * 7 + 3] = Number.NaN
    await expect(model.fineTune(withNaN, task.labels)).rejects.toThrow(/item 7, value 3: expected a finite number, received NaN/)
    await expect(model.fineTune(new Float32Array(63), [0])).rejects.toThrow(ShapeError)
  })

  it('too few examples to hold any out', async () => {
    await expect(model.fineTune(task.inputs.subarray(0, 128), [0, 1], { folds: 0 })).rejects.toThrow(/too few examples to hold any out/)
    await expect(model.fineTune(task.inputs.subarray(0, 64), [0])).rejects.toThrow(/too few examples to hold any out for re-calibration \(1 examples\)/)
  })

  it('unknown, mistyped or out-of-range options', async () => {
    const bad: readonly [Record<string, unknown>, RegExp][] = [
      [{ bogus: 1 }, /option bogus: unknown option/],
      [{ optimizer: 'rmsprop' }, /option optimizer: must be adam or sgd/],
      [{ momentum: 0.9 }, /option momentum: applies to optimizer sgd only/],
      [{ optimizer: 'sgd', momentum: 1 }, /option momentum: must be in \[0, 1\)/],
      [{ epochs: 0 }, /option epochs/],
      [{ batchSize: 1.5 }, /option batchSize/],
      [{ learningRate: -1 }, /option learningRate/],
      [{ validationFraction: 1 }, /option validationFraction: must be in \(0, 1\)/],
      [{ dropoutRate: 1 }, /option dropoutRate/],
      [{ temperature: 0 }, /option temperature/],
      [{ lambda: Number.NaN }, /option lambda/],
      [{ detach: 'yes' }, /option detach/],
      [{ seed: -1 }, /option seed/],
      [{ classes: { mode: 'keep', labels: [] } }, /option classes: mode keep takes no other fields/],
      [{ classes: { mode: 'extend', labels: ['a', 'a'] } }, /labels must be distinct/],
      [{ kernel: 'gpu' }, /option kernel/],
      [{ name: 'Bad Name' }, /option name: must match/],
      [{ signal: {} }, /option signal: must be an AbortSignal/],
      [{ targetAcceptance: 0 }, /option targetAcceptance/],
    ]
    for (const [options, message] of bad) await expect(model.fineTune(task.inputs, task.labels, options as never)).rejects.toThrow(message)
    await expect(model.fineTune(task.inputs, task.labels, { bogus: 1 } as never)).rejects.toThrow(OptionError)
  })

  it('a diverging run (learning rate far too large) stops with a typed error', async () => {
    await expect(model.fineTune(task.inputs, task.labels, { optimizer: 'sgd', learningRate: 1e38, epochs: 5 })).rejects.toThrow(DivergenceError)
  })

  it('kernel wasm-simd on a platform without a gradient kernel, and a disposed model', async () => {
    const bare = { readSource: nodePlatform.readSource.bind(nodePlatform), initBackbone: nodePlatform.initBackbone.bind(nodePlatform), headKernel: nodePlatform.headKernel.bind(nodePlatform) }
    const plain = await loadModelOn(bare, await testBundle())
    await expect(plain.fineTune(task.inputs, task.labels, { kernel: 'wasm-simd' })).rejects.toThrow(KernelError)
    expect((await plain.fineTune(task.inputs, task.labels, { epochs: 1 })).kernel).toBe('typescript')
    plain.dispose()
    await expect(plain.fineTune(task.inputs, task.labels)).rejects.toThrow(KernelError)
  })
})

describe('model.fineTune can be aborted and produces nothing then', () => {
  it('before it starts', async () => {
    const controller = new AbortController()
    controller.abort(new Error('user left'))
    const error: unknown = await model.fineTune(task.inputs, task.labels, { signal: controller.signal }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(AbortedError)
    expect((error as AbortedError).code).toBe('aborted_error')
    expect((error as AbortedError).message).toMatch(/fine-tuning was aborted \(user left\); nothing was produced/)
    expect((error as AbortedError).cause).toBe(controller.signal.reason)
  })

  it('between steps, from a progress callback: no step runs after the abort', async () => {
    const controller = new AbortController()
    const events: FineTuneProgress[] = []
    const run = model.fineTune(task.inputs, task.labels, {
      signal: controller.signal,
      epochs: 10,
      onProgress: (event) => {
        events.push(event)
        if (event.type === 'step' && event.step === 4) controller.abort()
      },
    })
    await expect(run).rejects.toThrow(/aborted/)
    expect(events.filter((e) => e.type === 'step').map((e) => (e.type === 'step' ? e.step : -1))).toStrictEqual([0, 1, 2, 3, 4])
  })

  it('while it runs, from a timer (the loop yields to the event loop)', async () => {
    const started = Date.now()
    const signal = AbortSignal.timeout(30)
    await expect(model.fineTune(task.inputs, task.labels, { signal, epochs: 100_000, kernel: 'typescript' })).rejects.toThrow(AbortedError)
    expect(Date.now() - started).toBeLessThan(5000)
  })
})
