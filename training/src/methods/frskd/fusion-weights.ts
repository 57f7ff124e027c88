import * as tf from '@tensorflow/tfjs-core'

/** The epsilon of FRSKD's (and EfficientDet's) fast normalised fusion. */
export const FUSION_EPSILON = 1e-6

/**
 * Fast normalised fusion (Tan, Pang, Le, "EfficientDet", CVPR 2020; FRSKD's BiFPN layer): learnable
 * weights w made non-negative by a ReLU and normalised, w'_j = relu(w_j) / (sum_k relu(w_k) + eps),
 * then sum_j w'_j x_j over same-shaped inputs.
 *
 * @param weights w, [n] (a trainable variable, initialised to ones)
 * @param inputs n tensors of one shape
 * @example
 * ```ts
 * fuse(tf.tensor1d([1, 3]), [a, b]) // (1 a + 3 b) / (4 + 1e-6)
 * ```
 */
export function fuse(weights: tf.Tensor1D, inputs: readonly tf.Tensor[]): tf.Tensor {
  return tf.tidy(() => {
    const positive = tf.relu(weights)
    const normalised = tf.div(positive, tf.add(tf.sum(positive), tf.scalar(FUSION_EPSILON)))
    const parts = tf.unstack(normalised)
    return tf.addN(inputs.map((input, j) => tf.mul(input, parts[j] as tf.Scalar)))
  })
}
