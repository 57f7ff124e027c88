import type * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { FormatError } from '@sd-dropout/sdk'

/** A classifier cut at its last dense layer: the backbone (input -> h) and the linear head (h -> logits). */
export interface SplitClassifier {
  /** A LayersModel from the model's input to the dense layer's input h, [B, D]; shares the model's layers and weights. */
  readonly backbone: tfl.LayersModel
  /** The dense layer's kernel W [D, C] (feature-major, as bundles store it) and bias b [C] (zeros without a bias). */
  readonly head: { readonly weight: Float32Array; readonly bias: Float32Array; readonly featureDim: number; readonly classes: number }
  /** The dense layer's name and the activation that followed its logits (`linear` or `softmax`; the head keeps the logits). */
  readonly denseLayer: string
  readonly activation: 'linear' | 'softmax'
  /** The rate of a Dropout layer feeding the dense layer, or null: the natural MC-dropout rate of the head. */
  readonly dropoutRate: number | null
}

/**
 * Splits a tfjs LayersModel whose output comes from a dense classifier into backbone and head:
 * the last layer must be a Dense layer with a linear or softmax activation, or a softmax
 * (`Softmax`, or `Activation` softmax) right after a linear Dense layer. The head is that layer's
 * kernel and bias, so head(h) gives the logits (before any softmax) and
 * softmax(head(backbone(x))) is the model's output.
 *
 * @param name the model file, for messages
 * @throws {FormatError} when the model has several inputs or outputs, its last layer is no such
 *   classifier (naming the layer and its class), the activation is another (e.g. sigmoid: a
 *   multi-label model), or the dense layer's input is not a [batch, D] vector.
 * @example
 * ```ts
 * const { backbone, head } = splitClassifier(await loadLayersModelFile('model.json'), 'model.json')
 * ```
 */
export function splitClassifier(model: tfl.LayersModel, name: string): SplitClassifier {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) throw new FormatError(name, `has ${model.inputs.length} inputs and ${model.outputs.length} outputs; import takes a model with one input and one output`)
  const last = model.layers[model.layers.length - 1]
  if (last === undefined) throw new FormatError(name, 'has no layers')
  let dense = last
  let activation = activationOf(last)
  if (last.getClassName() === 'Softmax' || (last.getClassName() === 'Activation' && activation === 'softmax')) {
    dense = inboundLayer(last, name)
    if (activationOf(dense) !== 'linear') throw new FormatError(name, `layer ${dense.name} before the final softmax has activation ${activationOf(dense)}; expected a linear Dense layer`)
    activation = 'softmax'
  }
  if (dense.getClassName() !== 'Dense') {
    throw new FormatError(name, `its last layer ${last.name} is a ${last.getClassName()}; import needs a dense classifier (a Dense layer with a linear or softmax activation, optionally followed by a softmax)`)
  }
  if (activation !== 'linear' && activation !== 'softmax') {
    throw new FormatError(name, `its classifier ${dense.name} has activation ${activation}; import takes linear or softmax classifiers (one class per item)`)
  }
  const input = dense.input
  if (Array.isArray(input) || input.shape.length !== 2) {
    throw new FormatError(name, `the input of ${dense.name} has shape ${JSON.stringify(Array.isArray(input) ? input.map((t) => t.shape) : input.shape)}; expected [batch, D] (flatten or pool before the classifier)`)
  }
  const [kernel, bias] = dense.getWeights() as [tf.Tensor, tf.Tensor | undefined]
  const [featureDim = 0, classes = 0] = kernel.shape
  const backbone = tfl.model({ inputs: model.inputs, outputs: input, name: `${model.name}_features` })
  const feeding = inboundLayer(dense, name)
  return {
    backbone,
    head: { weight: kernel.dataSync() as Float32Array, bias: bias === undefined ? new Float32Array(classes) : (bias.dataSync() as Float32Array), featureDim, classes },
    denseLayer: dense.name,
    activation,
    dropoutRate: feeding.getClassName() === 'Dropout' ? ((feeding.getConfig() as { rate?: number }).rate ?? null) : null,
  }
}

function activationOf(layer: tfl.layers.Layer): string {
  const config = layer.getConfig() as { activation?: unknown }
  return typeof config.activation === 'string' ? config.activation : layer.getClassName() === 'Softmax' ? 'softmax' : 'none'
}

function inboundLayer(layer: tfl.layers.Layer, name: string): tfl.layers.Layer {
  const nodes = layer.inboundNodes
  const node = nodes[0]
  if (nodes.length !== 1 || node === undefined || node.inboundLayers.length !== 1) throw new FormatError(name, `layer ${layer.name} is used more than once or has several inputs; import needs a plain chain into the classifier`)
  return node.inboundLayers[0] as tfl.layers.Layer
}
