import * as tf from '@tensorflow/tfjs-core'
import { stopGradient } from '../stop-gradient.js'
import { crossEntropyFromLogits, temperedKlDivergence } from '../tempered-kl.js'
import type { LossTerms } from '../training-method.js'
import { attentionTransferLoss } from './attention-transfer.js'

/** Options of FRSKD's loss (DESIGN section 1; official CIFAR-100 settings). */
export interface FrskdLossOptions {
  /** alpha, weight of the soft-label distillation; 2. */
  readonly alpha: number
  /** beta, weight of the attention-map distillation; 100. */
  readonly beta: number
  /** tau, distillation temperature; 4. */
  readonly temperature: number
}

/** What FRSKD's loss compares: the classifier's and the self-teacher's outputs. */
export interface FrskdLossInputs {
  /** s, the classifier's logits z0, [B, C]. */
  readonly studentLogits: tf.Tensor2D
  /** t, the self-teacher's logits, [B, C]. */
  readonly teacherLogits: tf.Tensor2D
  /** F_1..F_k, the backbone's stage maps. */
  readonly studentMaps: readonly tf.Tensor4D[]
  /** F^_1..F^_k, the self-teacher's refined maps (same spatial sizes). */
  readonly teacherMaps: readonly tf.Tensor4D[]
  readonly oneHot: tf.Tensor2D
}

/**
 * FRSKD (Ji, Shin, Hwang, Park, Moon, "Refine Myself by Teaching Myself", CVPR 2021; official code
 * MingiJi/FRSKD, classification/utils.py `train` and distill_loss/AT.py):
 *
 *   L = CE(s, y) + CE(t, y) + alpha tau^2 KL(softmax(t / tau) || softmax(s / tau))
 *       + beta sum_i mean (at(F_i) - at(F^_i))^2
 *
 * (KL batch-mean; the attention term of `attentionTransferLoss`). The teacher's logits and maps are
 * detached in the two distillation terms, as in the official code: the self-teacher learns only
 * from CE(t, y) (whose gradient also reaches the backbone through F_i), and the classifier learns
 * from its labels and from the teacher.
 *
 * @example
 * ```ts
 * const { total, terms } = frskdLoss({ studentLogits, teacherLogits, studentMaps, teacherMaps, oneHot }, { alpha: 2, beta: 100, temperature: 4 })
 * ```
 */
export function frskdLoss(inputs: FrskdLossInputs, options: FrskdLossOptions): LossTerms {
  const ce = crossEntropyFromLogits(inputs.studentLogits, inputs.oneHot)
  const teacherCe = crossEntropyFromLogits(inputs.teacherLogits, inputs.oneHot)
  const tau = options.temperature
  const kd = tf.mul<tf.Scalar>(temperedKlDivergence(stopGradient(inputs.teacherLogits), inputs.studentLogits, tau), tf.scalar(tau * tau))
  const attention = tf.addN<tf.Scalar>(inputs.studentMaps.map((map, i) => attentionTransferLoss(map, inputs.teacherMaps[i] as tf.Tensor4D)))
  const total = tf.addN<tf.Scalar>([ce, teacherCe, tf.mul<tf.Scalar>(kd, tf.scalar(options.alpha)), tf.mul<tf.Scalar>(attention, tf.scalar(options.beta))])
  return { total, terms: { ce, teacherCe, kd, attention } }
}
