import * as tf from '@tensorflow/tfjs-core'
import { FusedBatchNorm, type GradConfig, type NamedAttrMap } from '@tensorflow/tfjs-core'

/**
 * The gradient of `FusedBatchNorm` (y = (x - mean) * scale / sqrt(variance + eps) + offset) with
 * per-channel statistics broadcast instead of tiled. tfjs-core's own gradient tiles
 * 1 / sqrt(variance + eps) to the full [B, H, W, C] shape first, which on wasm cost more than all
 * the convolutions of a small CNN together; broadcasting gives the same values.
 * With r = 1 / sqrt(variance + eps) and axes = all but the last:
 * dx = dy * r * scale; dmean = sum(-r * dy * scale); dvariance = sum(-r^3 / 2 * (x - mean) * dy * scale);
 * dscale = sum(dy * (x - mean) * r); doffset = sum(dy).
 *
 * @example
 * ```ts
 * tf.registerGradient(fusedBatchNormGradConfig)
 * ```
 */
export const fusedBatchNormGradConfig: GradConfig = {
  kernelName: FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap) => {
    const gradient = dy as tf.Tensor
    const [x, mean, variance, scale] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor | undefined]
    const epsilon = attrs.varianceEpsilon as number
    const scaleValue = scale ?? tf.scalar(1)
    const perChannel = mean.rank === 1
    const axes = perChannel ? Array.from({ length: x.rank - 1 }, (_, i) => i) : []
    const reduce = (t: tf.Tensor): tf.Tensor => tf.reshape(perChannel ? tf.sum(t, axes) : t, mean.shape)
    const inverseStd = tf.rsqrt(tf.add(variance, tf.scalar(epsilon)))
    const centred = tf.sub(x, mean)
    const dyScaled = tf.mul(gradient, scaleValue)
    return {
      x: () => tf.mul(gradient, tf.mul(inverseStd, scaleValue)),
      mean: () => reduce(tf.mul(dyScaled, tf.neg(inverseStd))),
      variance: () => reduce(tf.mul(tf.mul(centred, dyScaled), tf.mul(tf.pow(inverseStd, 3), tf.scalar(-0.5)))),
      scale: () => reduce(tf.mul(gradient, tf.mul(centred, inverseStd))),
      offset: () => reduce(gradient),
    }
  },
}
