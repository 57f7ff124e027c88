import * as tfl from '@tensorflow/tfjs-layers'
import type { Backbone } from '../models/model-spec.js'

/**
 * The deployable part of a backbone: a LayersModel from its input to h alone (the stage outputs
 * are for training only). It shares the backbone's layers and weights.
 *
 * @example
 * ```ts
 * const deployable = featureModel(session.backbone) // output [B, D]
 * ```
 */
export function featureModel(backbone: Backbone): tfl.LayersModel {
  const output = backbone.model.outputs[0]
  if (output === undefined) throw new Error('backbone has no outputs')
  return tfl.model({ inputs: backbone.model.inputs, outputs: output, name: `${backbone.model.name}_features` })
}
