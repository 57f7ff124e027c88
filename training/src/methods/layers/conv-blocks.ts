import * as tf from '@tensorflow/tfjs-core'
import { batchNormParameters, batchNormTraining, type BatchNormParameters } from './batch-norm-training.js'
import type { ParameterStore } from './parameter-store.js'

/** A 1 x 1 convolution without bias (W [Cin, Cout]) followed by batch norm. */
export interface PointwiseBlock {
  readonly weight: tf.Variable
  readonly norm: BatchNormParameters
}

/** One depthwise-separable convolution: 3 x 3 depthwise (no bias), 1 x 1 pointwise (no bias), batch norm. */
export interface SeparableConv {
  readonly depthwise: tf.Variable
  readonly pointwise: tf.Variable
  readonly norm: BatchNormParameters
}

/**
 * Creates a 1 x 1 conv + batch-norm block from `inputs` to `outputs` channels.
 *
 * @example
 * ```ts
 * const lateral = pointwiseBlock(store, 'lateral1', 16, 32)
 * ```
 */
export function pointwiseBlock(store: ParameterStore, name: string, inputs: number, outputs: number): PointwiseBlock {
  return { weight: store.heNormal(`${name}/weight`, [inputs, outputs], inputs), norm: batchNormParameters(store, `${name}/bn`, outputs) }
}

/**
 * relu?(BN(x W)): a 1 x 1 convolution written as one matrix product over every position (also
 * works on [B, C] vectors, where it is a dense layer without bias). FRSKD's `DepthConvBlock` with
 * kernel 1 is this block with the ReLU.
 *
 * @param x [B, H, W, Cin] or [B, Cin]
 * @example
 * ```ts
 * const y = applyPointwise(x, lateral, true) // [B, H, W, Cout]
 * ```
 */
export function applyPointwise(x: tf.Tensor, block: PointwiseBlock, relu: boolean): tf.Tensor {
  return tf.tidy(() => {
    const inputs = x.shape[x.rank - 1] as number
    const flat = tf.reshape<tf.Rank.R2>(x, [-1, inputs])
    const product = tf.reshape(tf.matMul(flat, block.weight as tf.Tensor2D), [...x.shape.slice(0, -1), block.weight.shape[1] as number])
    const normalised = batchNormTraining(product, block.norm)
    return relu ? tf.relu(normalised) : normalised
  })
}

/**
 * Creates `depth` depthwise-separable convolutions from `inputs` to `outputs` channels (the first
 * changes the channel count, the others keep it).
 *
 * @example
 * ```ts
 * const block = separableConvBlock(store, 'up1', 32, 32, 2)
 * ```
 */
export function separableConvBlock(store: ParameterStore, name: string, inputs: number, outputs: number, depth: number): SeparableConv[] {
  return Array.from({ length: depth }, (_, i) => {
    const channels = i === 0 ? inputs : outputs
    return {
      depthwise: store.heNormal(`${name}/${i}/depthwise`, [3, 3, channels, 1], 9),
      pointwise: store.heNormal(`${name}/${i}/pointwise`, [channels, outputs], channels),
      norm: batchNormParameters(store, `${name}/${i}/bn`, outputs),
    }
  })
}

/**
 * FRSKD's `DepthConvBlock` with a 3 x 3 kernel (official code MingiJi/FRSKD, models/utils.py):
 * sep(x) = BN(pointwise(depthwise3x3(x))), repeated with a ReLU between repetitions and none
 * after the last: y = sep_d(relu(... relu(sep_1(x)))). Same padding, stride 1.
 *
 * @param x [B, H, W, Cin]
 * @example
 * ```ts
 * const y = applySeparableConvBlock(x, block) // [B, H, W, Cout]
 * ```
 */
export function applySeparableConvBlock(x: tf.Tensor4D, block: readonly SeparableConv[]): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x
    block.forEach((conv, i) => {
      const input = i === 0 ? y : tf.relu(y)
      const spatial = tf.depthwiseConv2d(input, conv.depthwise as tf.Tensor4D, 1, 'same')
      const [batch, height, width, channels] = spatial.shape
      const mixed = tf.reshape(tf.matMul(tf.reshape(spatial, [batch * height * width, channels]), conv.pointwise as tf.Tensor2D), [batch, height, width, conv.pointwise.shape[1] as number])
      y = batchNormTraining(mixed, conv.norm) as tf.Tensor4D
    })
    return y
  })
}
