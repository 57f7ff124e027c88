import { crossEntropyFromLogits } from '../tempered-kl.js'
import type { TrainingMethod } from '../training-method.js'

/**
 * Plain cross-entropy training: L = CE(z0, y) = -mean_i log softmax(z0_i)[y_i]. The baseline of
 * every comparison, and the base that `sd-dropout` alone adds its term to.
 *
 * @example
 * ```ts
 * const method = crossEntropyMethod() // name 'ce'
 * ```
 */
export function crossEntropyMethod(): TrainingMethod {
  return {
    name: 'ce',
    hyperParameters: {},
    loss(pass, batch) {
      const ce = crossEntropyFromLogits(pass.logits, batch.oneHot)
      return { total: ce, terms: { ce } }
    },
  }
}
