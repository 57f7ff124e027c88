import * as tf from '@tensorflow/tfjs-core'
import { FormatError, OptionError } from '@sd-dropout/sdk'
import { softTargetCrossEntropy } from '../soft-target-cross-entropy.js'
import type { TrainingMethod } from '../training-method.js'
import { PredictionStore } from './prediction-store.js'
import { progressiveAlpha, progressiveTargets } from './ps-kd-targets.js'

/** Options of PS-KD. */
export interface PsKdOptions {
  /** alpha_T, the weight of the previous-epoch prediction in the last epoch; official 0.8. */
  readonly alpha: number
}

/** The official PS-KD default (lgcnsai/PS-KD-Pytorch, `--alpha_T 0.8`). */
export const PS_KD_DEFAULTS: PsKdOptions = { alpha: 0.8 }

/**
 * Progressive Self-Knowledge Distillation (Kim, Ji, Yoon, Hwang, ICCV 2021; official code
 * lgcnsai/PS-KD-Pytorch): the model's own predictions from the previous epoch soften its targets,
 *
 *   L = -mean_i sum_c t_ic log softmax(z0_i)_c,  t_i = (1 - alpha_t) onehot(y_i) + alpha_t P_prev[i],
 *   alpha_t = alpha_T (epoch + 1) / epochs,
 *
 * with P_prev[i] the softmax of item i's training-mode logits in the previous epoch (one-hot before
 * the first). The targets are constants (built on the host from the {@link PredictionStore}), so no
 * gradient reaches them; the store is updated after each step and saved in checkpoints.
 *
 * @param classes C
 * @throws {OptionError} for alpha_T outside [0, 1].
 * @example
 * ```ts
 * const method = psKdMethod({ alpha: 0.8 }, 10) // name 'ps-kd'
 * ```
 */
export function psKdMethod(options: PsKdOptions, classes: number): TrainingMethod {
  if (!(options.alpha >= 0 && options.alpha <= 1)) throw new OptionError('--ps-kd-alpha', `must be in [0, 1], got ${options.alpha}`)
  const store = new PredictionStore(classes)
  return {
    name: 'ps-kd',
    hyperParameters: { psKdAlpha: options.alpha },
    loss(pass, batch) {
      const alpha = progressiveAlpha(options.alpha, batch.epoch, batch.epochs)
      const targets = tf.tensor2d(progressiveTargets(batch.labels, store.rows(batch.indices), classes, alpha), [batch.labels.length, classes])
      const psKd = softTargetCrossEntropy(pass.logits, targets)
      return { total: psKd, terms: { psKd } }
    },
    afterStep(logits, batch) {
      store.record(batch.indices, logits)
    },
    saveState() {
      const { predictions, recorded } = store.save()
      return { json: { classes }, tensors: { predictions, recorded } }
    },
    loadState(state) {
      const { predictions, recorded } = state.tensors
      if (predictions === undefined || recorded === undefined) throw new FormatError('checkpoint', 'holds no PS-KD predictions (was it written by another method?)')
      store.load(predictions, recorded)
    },
  }
}
