import * as tf from '@tensorflow/tfjs-core'

/**
 * Batch-mean KL divergence between tempered softmaxes of two logit batches, in nats:
 * mean_i sum_c p_ic (log p_ic - log q_ic) with p = softmax(target / T), q = softmax(prediction / T),
 * through log-softmax so it stays finite where probabilities underflow. PyTorch's
 * `F.kl_div(log_softmax(prediction / T), softmax(target / T), reduction='batchmean')`; the tfjs
 * twin of the SDK's `klDivergenceFromLogits(target, prediction, T)` averaged over items.
 *
 * @param target logits whose distribution is the reference p, [B, C]
 * @param prediction logits whose distribution q is compared with it, [B, C]
 * @param temperature the distillation temperature tau > 0
 * @example
 * ```ts
 * const kl = temperedKlDivergence(z2, z1, 3) // KL(softmax(z2/3) || softmax(z1/3)), batch mean
 * ```
 */
export function temperedKlDivergence(target: tf.Tensor2D, prediction: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const scale = tf.scalar(1 / temperature)
    const logP = tf.logSoftmax(tf.mul(target, scale))
    const logQ = tf.logSoftmax(tf.mul(prediction, scale))
    return tf.mean<tf.Scalar>(tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1))
  })
}

/**
 * Batch-mean softmax cross-entropy with integer labels given one-hot, in nats:
 * -mean_i log softmax(z_i)[y_i].
 *
 * @param logits [B, C]
 * @param oneHot [B, C] one-hot labels (float32)
 * @example
 * ```ts
 * const ce = crossEntropyFromLogits(z, tf.oneHot(labels, 10).toFloat())
 * ```
 */
export function crossEntropyFromLogits(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean<tf.Scalar>(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))))
}
