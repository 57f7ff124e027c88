import * as tf from '@tensorflow/tfjs-core'
import type { ParameterStore } from './parameter-store.js'

/** A batch-norm layer's learnable per-channel scale gamma and offset beta. */
export interface BatchNormParameters {
  readonly scale: tf.Variable
  readonly offset: tf.Variable
}

/**
 * Creates the scale (1) and offset (0) of a batch norm over `channels` channels.
 *
 * @example
 * ```ts
 * const bn = batchNormParameters(store, 'up1/bn', 32)
 * ```
 */
export function batchNormParameters(store: ParameterStore, name: string, channels: number): BatchNormParameters {
  return { scale: store.constant(`${name}/scale`, [channels], 1), offset: store.constant(`${name}/offset`, [channels], 0) }
}

/**
 * Batch normalisation in training mode (Ioffe & Szegedy 2015): each channel (last axis) is
 * normalised with the mean and biased variance of the batch over every other axis,
 * y = (x - mean) / sqrt(var + eps) * gamma + beta; gradients flow through the statistics. Used by
 * networks that exist only during training (a self-teacher, auxiliary classifiers), so no running
 * statistics are kept.
 *
 * @param x [..., C]
 * @example
 * ```ts
 * const y = batchNormTraining(x, bn) // per-channel zero mean, unit variance, then scaled
 * ```
 */
export function batchNormTraining<T extends tf.Tensor>(x: T, parameters: BatchNormParameters, epsilon = 1e-5): T {
  return tf.tidy(() => {
    const axes = Array.from({ length: x.rank - 1 }, (_, i) => i)
    const { mean, variance } = tf.moments(x, axes)
    return tf.batchNorm(x, mean, variance, parameters.offset, parameters.scale, epsilon) as T
  })
}
