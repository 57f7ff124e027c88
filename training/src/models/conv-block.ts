import * as tfl from '@tensorflow/tfjs-layers'

/** Batch-norm momentum of every backbone (PyTorch's 0.1 in Keras' convention: short runs adapt quickly). */
export const BATCH_NORM_MOMENTUM = 0.9

/**
 * conv(k x k, `filters`, stride, same padding, no bias, He-normal) followed by batch norm and,
 * unless `relu` is false, a ReLU: the building block of the `cnn` and `resnet` backbones.
 *
 * @example
 * ```ts
 * const y = convBnRelu(x, { filters: 32, name: 'stem', seed: next() })
 * ```
 */
export function convBnRelu(
  x: tfl.SymbolicTensor,
  options: { filters: number; name: string; seed: number; kernelSize?: number; strides?: number; relu?: boolean },
): tfl.SymbolicTensor {
  const { filters, name, seed, kernelSize = 3, strides = 1, relu = true } = options
  let y = tfl.layers
    .conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: tfl.initializers.heNormal({ seed }), name: `${name}_conv` })
    .apply(x) as tfl.SymbolicTensor
  y = tfl.layers.batchNormalization({ momentum: BATCH_NORM_MOMENTUM, epsilon: 1e-5, name: `${name}_bn` }).apply(y) as tfl.SymbolicTensor
  if (relu) y = tfl.layers.reLU({ name: `${name}_relu` }).apply(y) as tfl.SymbolicTensor
  return y
}

/**
 * conv(k x k, `filters`, same padding, with bias, He-normal) followed by a ReLU: the block of the
 * batch-norm-free `cnn` backbone.
 *
 * @example
 * ```ts
 * const y = convRelu(x, { filters: 16, name: 'stage1', seed: next() })
 * ```
 */
export function convRelu(x: tfl.SymbolicTensor, options: { filters: number; name: string; seed: number; kernelSize?: number }): tfl.SymbolicTensor {
  const { filters, name, seed, kernelSize = 3 } = options
  return tfl.layers
    .conv2d({ filters, kernelSize, padding: 'same', activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed }), name: `${name}_conv` })
    .apply(x) as tfl.SymbolicTensor
}
