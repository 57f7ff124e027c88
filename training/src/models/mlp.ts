import * as tfl from '@tensorflow/tfjs-layers'
import { ShapeError } from '@sd-dropout/sdk'
import { initializerSeeds } from './initializer-seeds.js'
import type { Backbone } from './model-spec.js'

/**
 * A multi-layer perceptron backbone: flatten (images; vectors such as CSV features go in as they
 * are), then one ReLU dense layer per entry of `hidden`
 * (He-uniform weights, zero biases). h is the last hidden layer; the stages are the hidden layers
 * before it (the deepest stage is h itself, output 0).
 *
 * @param inputShape shape of one item, e.g. [28, 28, 1], or [F] for F features
 * @param hidden units of each hidden layer, e.g. [256, 128] (D = 128)
 * @param seed initializer seed
 * @throws {ShapeError} for an empty or non-positive `hidden`.
 * @example
 * ```ts
 * const backbone = buildMlp([28, 28, 1], [256, 128], 0) // backbone.featureDim === 128
 * ```
 */
export function buildMlp(inputShape: readonly number[], hidden: readonly number[], seed: number): Backbone {
  if (hidden.length === 0 || hidden.some((units) => !Number.isInteger(units) || units < 1)) {
    throw new ShapeError('mlp hidden layers', 'one or more positive integers', `[${hidden.join(', ')}]`)
  }
  const next = initializerSeeds(seed)
  const input = tfl.input({ shape: [...inputShape], name: 'input' })
  let x = inputShape.length === 1 ? input : (tfl.layers.flatten({ name: 'flatten' }).apply(input) as tfl.SymbolicTensor)
  const stages: tfl.SymbolicTensor[] = []
  hidden.forEach((units, i) => {
    x = tfl.layers
      .dense({ units, activation: 'relu', kernelInitializer: tfl.initializers.heUniform({ seed: next() }), name: `dense_${i + 1}` })
      .apply(x) as tfl.SymbolicTensor
    stages.push(x)
  })
  stages.pop()
  const model = tfl.model({ inputs: input, outputs: [x, ...stages], name: 'mlp' })
  return {
    model,
    spec: { architecture: 'mlp', hidden: [...hidden] },
    featureDim: hidden[hidden.length - 1] as number,
    inputShape: [...inputShape],
    stageNames: stages.map((_, i) => `dense_${i + 1}`),
  }
}
