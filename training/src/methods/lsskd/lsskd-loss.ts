import * as tf from '@tensorflow/tfjs-core'
import { l2NormalizeRows } from '../l2-normalize-rows.js'
import { stopGradient } from '../stop-gradient.js'
import { crossEntropyFromLogits, temperedKlDivergence } from '../tempered-kl.js'
import type { LossTerms } from '../training-method.js'

/** Weights and temperature of LSSKD's loss (choices documented in docs/methods.md). */
export interface LsskdLossOptions {
  /** tau, temperature of the deep-to-shallow KL; 3 (HSAKD's setting). */
  readonly temperature: number
  /** Weight of the deep-to-shallow KL; 1. */
  readonly klWeight: number
  /** Weight of the feature alignment; 1. */
  readonly featureWeight: number
}

/** What LSSKD's loss compares. N = 4 B rows: the B originals and their three rotations. */
export interface LsskdLossInputs {
  /** z0 of the B original (unrotated) items, [B, C]. */
  readonly logits: tf.Tensor2D
  readonly oneHot: tf.Tensor2D
  /** a_j, the joint (class x rotation) logits of each intermediate stage's auxiliary classifier, [N, 4C]. */
  readonly auxiliaryLogits: readonly tf.Tensor2D[]
  /** a_deep, the joint logits of the deepest classifier (on h), [N, 4C]. */
  readonly deepLogits: tf.Tensor2D
  /** One-hot joint labels, [N, 4C]. */
  readonly jointOneHot: tf.Tensor2D
  /** g_j, the pooled feature each auxiliary classifier ends with, [N, D]. */
  readonly auxiliaryFeatures: readonly tf.Tensor2D[]
  /** h of all N rows, [N, D]. */
  readonly deepFeatures: tf.Tensor2D
}

/**
 * LSSKD's loss (Dahri et al., "A Layered Self-Supervised Knowledge Distillation Framework",
 * arXiv 2506.07055; no official code, so the exact form below is ours, see docs/methods.md):
 *
 *   L = CE(z0, y)                                                     (the deployed head, originals only)
 *     + sum_j CE(a_j, y~) + CE(a_deep, y~)                            (joint labels y~ = 4 y + r, all 4B rows)
 *     + klWeight tau^2 sum_j KL(softmax(a_deep / tau) || softmax(a_j / tau))   (deep teaches shallow)
 *     + featureWeight sum_j mean_rows || n(g_j) - n(h) ||^2          (n = L2 normalisation)
 *
 * with a_deep and h detached in the two transfer terms (knowledge flows from deeper to shallower
 * heads only; the deepest head learns from the joint labels).
 *
 * @example
 * ```ts
 * const { total, terms } = lsskdLoss(inputs, { temperature: 3, klWeight: 1, featureWeight: 1 })
 * ```
 */
export function lsskdLoss(inputs: LsskdLossInputs, options: LsskdLossOptions): LossTerms {
  const ce = crossEntropyFromLogits(inputs.logits, inputs.oneHot)
  const jointCe = tf.addN<tf.Scalar>([...inputs.auxiliaryLogits, inputs.deepLogits].map((logits) => crossEntropyFromLogits(logits, inputs.jointOneHot)))
  const tau = options.temperature
  const teacher = stopGradient(inputs.deepLogits)
  const kl = tf.mul<tf.Scalar>(sumOf(inputs.auxiliaryLogits.map((logits) => temperedKlDivergence(teacher, logits, tau))), tf.scalar(tau * tau))
  const target = stopGradient(l2NormalizeRows(inputs.deepFeatures))
  const alignment = sumOf(inputs.auxiliaryFeatures.map((features) => tf.mean<tf.Scalar>(tf.sum(tf.square(tf.sub(l2NormalizeRows(features), target)), 1))))
  const total = tf.addN<tf.Scalar>([ce, jointCe, tf.mul<tf.Scalar>(kl, tf.scalar(options.klWeight)), tf.mul<tf.Scalar>(alignment, tf.scalar(options.featureWeight))])
  return { total, terms: { ce, jointCe, kl, alignment } }
}

function sumOf(values: readonly tf.Scalar[]): tf.Scalar {
  return values.length === 0 ? tf.scalar(0) : tf.addN<tf.Scalar>([...values])
}
