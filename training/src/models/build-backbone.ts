import { ShapeError } from '@sd-dropout/sdk'
import { buildCnn } from './cnn.js'
import { buildMlp } from './mlp.js'
import type { Backbone, ModelSpec } from './model-spec.js'
import { buildResnet } from './resnet.js'

/**
 * Builds the backbone a spec describes, with weights initialised from `seed`.
 *
 * @throws {ShapeError} when a convolutional backbone (`cnn`, `resnet`) is given items that are not
 *   images [height, width, channels] (e.g. CSV feature vectors: those take `mlp`).
 * @example
 * ```ts
 * const backbone = buildBackbone({ architecture: 'cnn', width: 32 }, [28, 28, 1], 7)
 * ```
 */
export function buildBackbone(spec: ModelSpec, inputShape: readonly number[], seed: number): Backbone {
  if (spec.architecture !== 'mlp' && inputShape.length !== 3) {
    throw new ShapeError(`${spec.architecture} input`, '[height, width, channels] images (feature vectors take --model mlp)', `[${inputShape.join(', ')}]`)
  }
  switch (spec.architecture) {
    case 'mlp':
      return buildMlp(inputShape, spec.hidden, seed)
    case 'cnn':
      return buildCnn(inputShape, spec.width, seed)
    case 'resnet':
      return buildResnet(inputShape, spec.depth, spec.width, seed)
  }
}
