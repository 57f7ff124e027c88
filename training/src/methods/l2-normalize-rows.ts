import * as tf from '@tensorflow/tfjs-core'

/**
 * Each row divided by its L2 norm, x / max(||x||, 1e-12) (PyTorch's `F.normalize(x, dim=1)`),
 * written as x * rsqrt(max(||x||^2, 1e-24)) so that an all-zero row (dead ReLUs) has a zero, not
 * a NaN, gradient.
 *
 * @param x [B, N]
 * @example
 * ```ts
 * l2NormalizeRows(tf.tensor2d([[3, 4]])) // [[0.6, 0.8]]
 * ```
 */
export function l2NormalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), 1, true), tf.scalar(1e-24)))))
}
