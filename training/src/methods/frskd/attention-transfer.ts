import * as tf from '@tensorflow/tfjs-core'
import { l2NormalizeRows } from '../l2-normalize-rows.js'
import { stopGradient } from '../stop-gradient.js'

/**
 * The spatial attention map of a feature map (Zagoruyko & Komodakis, "Paying More Attention to
 * Attention", ICLR 2017, with p = 2, as FRSKD uses it): at(F) = normalize(mean_c F^2), one row of
 * H * W values per item, L2-normalised.
 *
 * @param map F, [B, H, W, C]
 * @returns [B, H * W], each row of unit length (or zero for an all-zero map)
 * @example
 * ```ts
 * attentionMap(tf.ones([1, 2, 2, 3])) // [[0.5, 0.5, 0.5, 0.5]]
 * ```
 */
export function attentionMap(map: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    const [batch, height, width] = map.shape
    return l2NormalizeRows(tf.reshape(tf.mean(tf.square(map), 3), [batch, height * width]))
  })
}

/**
 * FRSKD's attention-transfer loss for one stage (official code MingiJi/FRSKD,
 * classification/distill_loss/AT.py): mean over items and positions of
 * (at(F) - at(F^))^2, with the self-teacher's refined map F^ detached, so gradients reach only the
 * student's map F.
 *
 * @param student F_i, [B, H, W, C]
 * @param teacher F^_i, [B, H, W, C'] (same H, W; the channel count may differ)
 * @example
 * ```ts
 * const loss = attentionTransferLoss(stageMap, refinedMap)
 * ```
 */
export function attentionTransferLoss(student: tf.Tensor4D, teacher: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => tf.mean<tf.Scalar>(tf.square(tf.sub(attentionMap(student), stopGradient(attentionMap(teacher))))))
}
