import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { FormatError } from '../errors.js'
import type { ModelBundle } from '../format/model-bundle.js'

/**
 * Rebuilds a bundle's backbone (a tfjs LayersModel mapping one input item to the pooled feature
 * vector h) from its topology and weights parts, and checks it against the manifest: one input of
 * shape [null, ...input.shape], one output of shape [null, D].
 *
 * @throws {FormatError} naming the part when the topology or weights cannot be loaded or do not match.
 * @example
 * ```ts
 * const backbone = await loadBackbone(bundle)
 * ```
 */
export async function loadBackbone(bundle: ModelBundle): Promise<tfl.LayersModel> {
  const { backbone, input, head } = bundle.manifest
  const weights = bundle.bytes(backbone.weightsPart)
  let model: tfl.LayersModel
  try {
    model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: bundle.json(backbone.topologyPart) as tf.io.ModelJSON['modelTopology'],
        weightSpecs: backbone.weightSpecs.map((spec) => ({ name: spec.name, shape: [...spec.shape], dtype: spec.dtype })),
        weightData: weights.slice().buffer,
      }),
    )
  } catch (error) {
    throw new FormatError(backbone.topologyPart, `cannot build the tfjs backbone: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error })
  }
  const inputShape = model.inputs.length === 1 ? model.inputs[0]?.shape : undefined
  const outputShape = model.outputs.length === 1 ? model.outputs[0]?.shape : undefined
  const expectedInput = JSON.stringify([null, ...input.shape])
  const expectedOutput = JSON.stringify([null, head.inputDim])
  if (JSON.stringify(inputShape) !== expectedInput || JSON.stringify(outputShape) !== expectedOutput) {
    model.dispose()
    throw new FormatError(
      backbone.topologyPart,
      `backbone maps ${JSON.stringify(model.inputs.map((t) => t.shape))} to ${JSON.stringify(model.outputs.map((t) => t.shape))}; the manifest needs one input ${expectedInput} and one output ${expectedOutput}`,
    )
  }
  return model
}
