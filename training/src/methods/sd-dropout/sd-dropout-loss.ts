import * as tf from '@tensorflow/tfjs-core'
import { OptionError } from '@sd-dropout/sdk'
import type { LinearHead } from '../../models/linear-head.js'
import { headLogits } from '../../models/linear-head.js'
import { stopGradient } from '../stop-gradient.js'

/** Options of the SD-Dropout term (DESIGN section 1). */
export interface SdDropoutOptions {
  /** Drop probability p of the dropout on h, in (0, 1); official 0.5. */
  readonly rate: number
  /** Distillation temperature tau > 0; official 3. */
  readonly temperature: number
  /** lambda, the weight of the term in the total loss; 1.0 alone, 0.1 combined (official). */
  readonly weight: number
  /** Stop gradients through the target side of each KL (official option, off by default). */
  readonly detach: boolean
  /** K >= 2 dropout samples per item; the KL is averaged over all pairs (official: 2). */
  readonly samples: number
}

/** The official defaults for SD-Dropout alone (lambda 1.0); combined with another method lambda is 0.1. */
export const SD_DROPOUT_DEFAULTS: SdDropoutOptions = { rate: 0.5, temperature: 3, weight: 1, detach: false, samples: 2 }

/**
 * The SD-Dropout term of Lee et al. (arXiv 2208.05642; official code yechanp/self_kd,
 * models/methods.py `SD_Dropout`) for K dropout samples z_k = head(h * m_k):
 *
 *   L_sd = tau^2 * 2 / (K (K - 1)) * sum over ordered pairs i != j of KL(softmax(z_i / tau) || softmax(z_j / tau))
 *
 * (batch mean). At K = 2 this is the official tau^2 [KL(p1 || p2) + KL(p2 || p1)]; for K > 2 it is
 * the mean over unordered pairs of that symmetric sum. With `detach`, the reference side p_i of
 * every KL is a constant (the official `kl_div_loss(pred, target.detach())`); without it gradients
 * flow through both sides (the official default). The weight lambda is NOT applied here.
 *
 * @param features h, [B, D] (the same tensor the no-dropout logits come from)
 * @param head the linear head
 * @param masks K inverted-dropout masks per item, [K, B, D], entries 0 or 1 / (1 - p)
 * @throws {OptionError} for K < 2 or tau <= 0.
 * @example
 * ```ts
 * const term = sdDropoutTerm(h, head, masks, { temperature: 3, detach: false })
 * ```
 */
export function sdDropoutTerm(features: tf.Tensor2D, head: LinearHead, masks: tf.Tensor3D, options: Pick<SdDropoutOptions, 'temperature' | 'detach'>): tf.Scalar {
  const [samples, items, featureDim] = masks.shape
  if (samples < 2) throw new OptionError('--sd-samples', `SD-Dropout needs K >= 2 dropout samples, got ${samples}`)
  if (!(options.temperature > 0)) throw new OptionError('--sd-temperature', `must be > 0, got ${options.temperature}`)
  return tf.tidy(() => {
    // All K dropout samples through the head in one product: [K * B, D] x [D, C].
    const dropped = tf.reshape(tf.mul(tf.expandDims(features, 0), masks), [samples * items, featureDim])
    const logits = tf.reshape(headLogits(dropped as tf.Tensor2D, head), [samples, items, -1])
    const logP = tf.logSoftmax(tf.mul(logits, tf.scalar(1 / options.temperature)))
    const p = tf.exp(logP)
    const target = options.detach ? stopGradient(p) : p
    const targetLog = options.detach ? stopGradient(logP) : logP
    // sum_{i != j} KL(p_i || p_j) = K sum_i sum_c p_ic log p_ic - sum_c (sum_i p_ic)(sum_j log p_jc), per item
    // (the i = j terms vanish); with detach the p_i and their logs are constants.
    const selfTerm = tf.mul(tf.sum(tf.mul(target, targetLog), [0, 2]), tf.scalar(samples))
    const crossTerm = tf.sum(tf.mul(tf.sum(target, 0), tf.sum(logP, 0)), 1)
    const pairs = (samples * (samples - 1)) / 2
    return tf.mul(tf.mean(tf.sub(selfTerm, crossTerm)), tf.scalar((options.temperature * options.temperature) / pairs))
  })
}
