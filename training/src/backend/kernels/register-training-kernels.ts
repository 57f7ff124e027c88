import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core'
import { batchMatMulTransposedConfig } from './batch-mat-mul-transposed.js'
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.js'
import { conv2dBackpropInputStride1Config } from './conv2d-backprop-input-stride1.js'
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter.js'
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input.js'

/** Which kernels {@link registerTrainingKernels} added or replaced. */
export interface RegisteredKernels {
  /** Gradient kernels the backend lacked and that are now built from its existing ops. */
  readonly added: readonly string[]
  /** Kernels replaced by a faster composite (the original stays as fallback). */
  readonly replaced: readonly string[]
}

const done = new Map<string, RegisteredKernels>()

/**
 * Makes a tfjs backend able to train conv nets fast: registers the gradient kernels it lacks
 * (`Conv2DBackpropFilter`, `DepthwiseConv2dNativeBackpropFilter`, `DepthwiseConv2dNativeBackpropInput`)
 * built from its existing kernels, and on `wasm` replaces the slow `Conv2DBackpropInput` (stride 1)
 * and transposed `BatchMatMul` with fast paths (DESIGN section 3). Kernels a backend already has
 * are left alone, except for those two wasm fast paths. Idempotent; call it before `tf.setBackend`.
 *
 * @param backendName a registered tfjs backend name, typically `wasm`
 * @example
 * ```ts
 * registerTrainingKernels('wasm') // { added: ['Conv2DBackpropFilter', ...], replaced: [...] }
 * ```
 */
export function registerTrainingKernels(backendName: string): RegisteredKernels {
  const previous = done.get(backendName)
  if (previous !== undefined) return previous
  const added: string[] = []
  const replaced: string[] = []
  const missing: readonly KernelConfig[] = [
    conv2dBackpropFilterConfig(backendName),
    depthwiseConv2dBackpropFilterConfig(backendName),
    depthwiseConv2dBackpropInputConfig(backendName),
  ]
  for (const config of missing) {
    if (getKernel(config.kernelName, backendName) !== undefined) continue
    registerKernel(config)
    added.push(config.kernelName)
  }
  if (backendName === 'wasm') {
    const overrides: readonly (readonly [string, (original: KernelConfig) => KernelConfig])[] = [
      ['Conv2DBackpropInput', (original) => conv2dBackpropInputStride1Config(backendName, original)],
      ['BatchMatMul', (original) => batchMatMulTransposedConfig(backendName, original)],
    ]
    for (const [kernelName, override] of overrides) {
      const original = getKernel(kernelName, backendName)
      if (original === undefined) continue
      unregisterKernel(kernelName, backendName)
      registerKernel(override(original))
      replaced.push(kernelName)
    }
  }
  const result = { added, replaced }
  done.set(backendName, result)
  return result
}
