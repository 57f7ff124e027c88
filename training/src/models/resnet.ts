import * as tfl from '@tensorflow/tfjs-layers'
import { ShapeError } from '@sd-dropout/sdk'
import { convBnRelu } from './conv-block.js'
import { initializerSeeds } from './initializer-seeds.js'
import type { Backbone } from './model-spec.js'

/**
 * A CIFAR-style ResNet (He et al. 2016, "Deep Residual Learning", section 4.2): a 3x3 stem of w
 * channels, three stages of n basic blocks (two 3x3 conv-BN layers and an identity shortcut, or a
 * 1x1 stride-2 conv-BN shortcut where the shape changes) with w, 2w, 4w channels and strides 1, 2, 2,
 * then global average pooling. depth = 6n + 2 (8, 14, 20, ...); D = 4w. For 28x28 inputs the
 * stages are 28x28, 14x14, 7x7; for 32x32, 32, 16, 8.
 *
 * @param inputShape [height, width, channels]
 * @param depth 6n + 2 with n >= 1
 * @param width w (16 in the paper)
 * @param seed initializer seed
 * @throws {ShapeError} for a depth that is not 6n + 2, a width < 1 or a non-image input.
 * @example
 * ```ts
 * const backbone = buildResnet([32, 32, 3], 8, 16, 0) // ResNet-8, featureDim 64
 * ```
 */
export function buildResnet(inputShape: readonly number[], depth: number, width: number, seed: number): Backbone {
  if (inputShape.length !== 3) throw new ShapeError('resnet input', '[height, width, channels]', `[${inputShape.join(', ')}]`)
  if (!Number.isInteger(depth) || depth < 8 || (depth - 2) % 6 !== 0) throw new ShapeError('resnet depth', '6n + 2 with n >= 1 (8, 14, 20, ...)', String(depth))
  if (!Number.isInteger(width) || width < 1) throw new ShapeError('resnet width', 'a positive integer', String(width))
  const blocks = (depth - 2) / 6
  const next = initializerSeeds(seed)
  const input = tfl.input({ shape: [...inputShape], name: 'input' })
  let x = convBnRelu(input, { filters: width, name: 'stem', seed: next() })
  const stages: tfl.SymbolicTensor[] = []
  for (let stage = 0; stage < 3; stage++) {
    const filters = width * 2 ** stage
    for (let block = 0; block < blocks; block++) {
      const strides = stage > 0 && block === 0 ? 2 : 1
      const name = `stage${stage + 1}_block${block + 1}`
      const y = convBnRelu(x, { filters, strides, name: `${name}_a`, seed: next() })
      const residual = convBnRelu(y, { filters, name: `${name}_b`, seed: next(), relu: false })
      const shortcut = strides === 1 && (x.shape[3] ?? 0) === filters ? x : convBnRelu(x, { filters, strides, kernelSize: 1, name: `${name}_shortcut`, seed: next(), relu: false })
      const sum = tfl.layers.add({ name: `${name}_add` }).apply([residual, shortcut]) as tfl.SymbolicTensor
      x = tfl.layers.reLU({ name: `${name}_out` }).apply(sum) as tfl.SymbolicTensor
    }
    stages.push(x)
  }
  const h = tfl.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as tfl.SymbolicTensor
  const model = tfl.model({ inputs: input, outputs: [h, ...stages], name: `resnet${depth}` })
  return {
    model,
    spec: { architecture: 'resnet', depth, width },
    featureDim: 4 * width,
    inputShape: [...inputShape],
    stageNames: ['stage1', 'stage2', 'stage3'],
  }
}
