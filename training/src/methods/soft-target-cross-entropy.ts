import * as tf from '@tensorflow/tfjs-core'

/**
 * Batch-mean cross-entropy against soft targets, in nats: -mean_i sum_c t_ic log softmax(z_i)_c
 * (PS-KD's `Custom_CrossEntropy_PSKD`). The targets are data, never differentiated: pass a
 * constant, or `stopGradient` them. With one-hot targets it is `crossEntropyFromLogits`.
 *
 * @param logits z, [B, C]
 * @param targets t, [B, C], each row a probability vector
 * @example
 * ```ts
 * const loss = softTargetCrossEntropy(z, tf.tensor2d([[0.9, 0.1]])) // -(0.9 log p0 + 0.1 log p1)
 * ```
 */
export function softTargetCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean<tf.Scalar>(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))))
}
