import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { batchNormParameters, batchNormTraining } from './batch-norm-training.js'
import { applyPointwise, applySeparableConvBlock, pointwiseBlock, separableConvBlock } from './conv-blocks.js'
import { ParameterStore } from './parameter-store.js'
import { resizeMap } from './resize-map.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

let store: ParameterStore
afterEach(() => store?.dispose())

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync())

describe('ParameterStore', () => {
  it('names every variable once, initialises reproducibly from its seed and frees them all', () => {
    store = new ParameterStore(3)
    const a = store.heNormal('a', [64, 8], 64)
    const again = new ParameterStore(3)
    expect(values(again.heNormal('a', [64, 8], 64))).toStrictEqual(values(a))
    again.dispose()
    // He-normal truncated at 2 sd: |w| <= 2 sqrt(2 / 64) = 0.354
    expect(Math.max(...values(a).map(Math.abs))).toBeLessThanOrEqual(0.3536)
    expect(values(store.constant('b', [3], 1))).toStrictEqual([1, 1, 1])
    expect(() => store.constant('a', [1], 0)).toThrow(/duplicate method variable a/)
    expect(store.variables().map((v) => v.name)).toStrictEqual(['a', 'b'])
    expect(store.size()).toBe(64 * 8 + 3)
    const before = tf.memory().numTensors
    store.dispose()
    expect(tf.memory().numTensors).toBe(before - 2)
  })
})

describe('batchNormTraining', () => {
  it('normalises each channel with the batch mean and biased variance, then scales and shifts', () => {
    store = new ParameterStore(0)
    const bn = batchNormParameters(store, 'bn', 2)
    bn.scale.assign(tf.tensor1d([2, 1]))
    bn.offset.assign(tf.tensor1d([0, 5]))
    // channel 0: [1, 3] -> mean 2, var 1 -> [-1, 1] / sqrt(1 + eps) * 2; channel 1: [4, 4] -> var 0 -> 0 + 5
    const y = values(batchNormTraining(tf.tensor2d([[1, 4], [3, 4]]), bn))
    const scaled = 2 / Math.sqrt(1 + 1e-5)
    ;[-scaled, 5, scaled, 5].forEach((v, i) => expect(y[i]).toBeCloseTo(v, 6))
  })
})

describe('conv blocks', () => {
  it('applyPointwise is a 1x1 convolution followed by batch norm (and ReLU)', () => {
    store = new ParameterStore(1)
    const block = pointwiseBlock(store, 'p', 3, 2)
    const x = tf.randomNormal<tf.Rank.R4>([2, 4, 4, 3], 0, 1, 'float32', 5)
    const conv = tf.conv2d(x, tf.reshape<tf.Rank.R4>(block.weight, [1, 1, 3, 2]), 1, 'same')
    const expected = tf.relu(batchNormTraining(conv, block.norm))
    const actual = applyPointwise(x, block, true)
    expect(actual.shape).toStrictEqual([2, 4, 4, 2])
    values(actual).forEach((v, i) => expect(v).toBeCloseTo(values(expected)[i] as number, 5))
  })

  it('a separable block of depth 2 is BN(pw(dw(x))) then ReLU and another BN(pw(dw(.)))', () => {
    store = new ParameterStore(2)
    const block = separableConvBlock(store, 's', 2, 3, 2)
    expect(store.variables().map((v) => v.name)).toStrictEqual(['s/0/depthwise', 's/0/pointwise', 's/0/bn/scale', 's/0/bn/offset', 's/1/depthwise', 's/1/pointwise', 's/1/bn/scale', 's/1/bn/offset'])
    const x = tf.randomNormal<tf.Rank.R4>([2, 5, 5, 2], 0, 1, 'float32', 6)
    const one = (input: tf.Tensor4D, i: number): tf.Tensor4D => {
      const conv = block[i]
      if (conv === undefined) throw new Error('no conv')
      const spatial = tf.depthwiseConv2d(input, conv.depthwise as tf.Tensor4D, 1, 'same')
      const channels = conv.pointwise.shape[0]
      const mixed = tf.conv2d(spatial, tf.reshape<tf.Rank.R4>(conv.pointwise, [1, 1, channels, 3]), 1, 'same')
      return batchNormTraining(mixed, conv.norm)
    }
    const expected = one(tf.relu(one(x, 0)), 1)
    const actual = applySeparableConvBlock(x, block)
    expect(actual.shape).toStrictEqual([2, 5, 5, 3])
    values(actual).forEach((v, i) => expect(v).toBeCloseTo(values(expected)[i] as number, 4))
  })
})

describe('resizeMap', () => {
  const x = (): tf.Tensor4D => tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1])

  it('doubles by copying each pixel into a 2x2 block (nearest)', () => {
    expect(values(resizeMap(x(), 4, 4))).toStrictEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4])
  })

  it('halves by a 3x3 stride-2 max pool with same padding, or by 2x2 averages', () => {
    const big = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i), [1, 4, 4, 1])
    // same padding for 4 -> 2 pads one row/column at the end: windows rows 0-2 and 2-3
    expect(values(resizeMap(big, 2, 2))).toStrictEqual([10, 11, 14, 15])
    expect(values(resizeMap(big, 2, 2, 'average-2x2'))).toStrictEqual([2.5, 4.5, 10.5, 12.5])
    expect(values(resizeMap(big, 1, 1, 'average-2x2'))).toStrictEqual([7.5])
    expect(resizeMap(tf.zeros<tf.Rank.R4>([1, 15, 15, 1]), 7, 7).shape).toStrictEqual([1, 7, 7, 1])
    expect(values(resizeMap(x(), 2, 2))).toStrictEqual([1, 2, 3, 4])
  })

  it('commutes with a 1x1 conv-BN-ReLU for an exact 2x upsampling (the self-teacher relies on it)', () => {
    store = new ParameterStore(4)
    const block = pointwiseBlock(store, 'p', 3, 2)
    const small = tf.randomNormal<tf.Rank.R4>([2, 3, 3, 3], 0, 1, 'float32', 9)
    const convThenUp = resizeMap(applyPointwise(small, block, true) as tf.Tensor4D, 6, 6)
    const upThenConv = applyPointwise(resizeMap(small, 6, 6), block, true)
    values(convThenUp).forEach((v, i) => expect(v).toBeCloseTo(values(upThenConv)[i] as number, 5))
  })
})
