import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { ShapeError } from '@sd-dropout/sdk'
import { buildBackbone } from './build-backbone.js'
import { createLinearHead, headLogits } from './linear-head.js'
import type { ModelSpec } from './model-spec.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function outputsOf(spec: ModelSpec, inputShape: number[], seed: number, x: tf.Tensor): { shapes: number[][]; h: Float32Array } {
  const backbone = buildBackbone(spec, inputShape, seed)
  const outputs = backbone.model.apply(x, { training: false }) as tf.Tensor[]
  const result = { shapes: outputs.map((o) => o.shape as number[]), h: outputs[0]?.dataSync() as Float32Array }
  tf.dispose(outputs)
  backbone.model.dispose()
  return result
}

describe('backbones', () => {
  let x28: tf.Tensor4D
  beforeAll(() => {
    x28 = tf.tensor4d(Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => ((i * 37) % 101) / 101), [2, 28, 28, 1])
  })

  it.each([
    [{ architecture: 'mlp', hidden: [32, 16] } as const, [28, 28, 1], 16, [[2, 16], [2, 32]]],
    [{ architecture: 'cnn', width: 4 } as const, [28, 28, 1], 16, [[2, 16], [2, 28, 28, 4], [2, 14, 14, 8], [2, 7, 7, 16]]],
    [{ architecture: 'resnet', depth: 8, width: 4 } as const, [28, 28, 1], 16, [[2, 16], [2, 28, 28, 4], [2, 14, 14, 8], [2, 7, 7, 16]]],
  ])('%j maps an item to h (D values) and exposes its stage maps', (spec, inputShape, featureDim, shapes) => {
    const backbone = buildBackbone(spec, inputShape, 1)
    expect(backbone.featureDim).toBe(featureDim)
    expect(backbone.stageNames).toHaveLength(shapes.length - 1)
    backbone.model.dispose()
    expect(outputsOf(spec, inputShape, 1, x28).shapes).toStrictEqual(shapes)
  })

  it('makes pooled features non-negative for conv nets (ReLU then average) and 32x32 inputs work for resnet', () => {
    const { h } = outputsOf({ architecture: 'cnn', width: 2 }, [28, 28, 1], 3, x28)
    expect(Math.min(...h)).toBeGreaterThanOrEqual(0)
    const x32 = tf.zeros([1, 32, 32, 3])
    expect(outputsOf({ architecture: 'resnet', depth: 14, width: 2 }, [32, 32, 3], 3, x32).shapes).toStrictEqual([[1, 8], [1, 32, 32, 2], [1, 16, 16, 4], [1, 8, 8, 8]])
  })

  it('initialises identically for the same seed and differently for another', () => {
    const spec = { architecture: 'cnn', width: 2 } as const
    const a = outputsOf(spec, [28, 28, 1], 7, x28).h
    expect(Array.from(outputsOf(spec, [28, 28, 1], 7, x28).h)).toStrictEqual(Array.from(a))
    expect(Array.from(outputsOf(spec, [28, 28, 1], 8, x28).h)).not.toStrictEqual(Array.from(a))
  })

  it('rejects bad sizes with a ShapeError', () => {
    expect(() => buildBackbone({ architecture: 'resnet', depth: 10, width: 4 }, [28, 28, 1], 0)).toThrow(/6n \+ 2/)
    expect(() => buildBackbone({ architecture: 'mlp', hidden: [] }, [28, 28, 1], 0)).toThrow(ShapeError)
    expect(() => buildBackbone({ architecture: 'cnn', width: 4 }, [784], 0)).toThrow(ShapeError)
  })
})

describe('linear head', () => {
  it('computes z = hW + b and initialises within +-1/sqrt(D)', () => {
    const head = createLinearHead(4, 3, 9)
    for (const v of head.weight.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(0.5)
    head.weight.assign(tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]))
    head.bias.assign(tf.tensor1d([0.5, 0, -0.5]))
    const z = headLogits(tf.tensor2d([[1, 2, 3, 4]]), head)
    expect(Array.from(z.dataSync())).toStrictEqual([5.5, 6, 6.5])
    expect(() => createLinearHead(0, 3, 1)).toThrow(ShapeError)
  })
})
