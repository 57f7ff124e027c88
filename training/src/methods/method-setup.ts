import type { Backbone } from '../models/model-spec.js'
import type { MethodSetup } from './training-method.js'

/**
 * The {@link MethodSetup} of a built backbone: the shapes of its stage outputs (outputs 1..k of
 * its model, without the batch axis), whether the deepest stage is the map h is pooled from (conv
 * nets) or all stages lie before h (MLPs), D, the item shape, C and the seed of the method's own
 * variables.
 *
 * @example
 * ```ts
 * const setup = methodSetup(backbone, 10, deriveSeed(seed, 5))
 * setup.stageShapes // [[28, 28, 16], [14, 14, 32], [7, 7, 64]] for the default cnn
 * ```
 */
export function methodSetup(backbone: Backbone, classes: number, seed: number): MethodSetup {
  return {
    stageShapes: backbone.model.outputs.slice(1).map((output) => output.shape.slice(1).map((dim) => dim ?? 0)),
    deepestStageIsPooled: backbone.spec.architecture !== 'mlp',
    featureDim: backbone.featureDim,
    itemShape: backbone.inputShape,
    classes,
    seed,
  }
}
