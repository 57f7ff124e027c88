import { KernelError } from '../errors.js'
import type { HeadGradient, HeadGradientInput, HeadGradientKernel, HeadGradientShape, HeadGradientWorkspace } from './head-gradient-kernel.js'
import { sdDropoutHeadGradient } from './sd-dropout-head-gradient.js'
import { assertGradientInput, assertGradientShape } from './validate-gradient-input.js'

/**
 * The reference {@link HeadGradientKernel} in plain TypeScript: each step is
 * `sdDropoutHeadGradient` (float64 accumulation, masks from `dropoutMask`, features that are 0
 * skipped), so it is the definition the wasm kernel is tested against, and the fallback where
 * WebAssembly SIMD is missing. Holds no memory of its own.
 *
 * @example
 * ```ts
 * const workspace = createTypeScriptHeadGradientKernel().prepare({ featureDim: 2, classes: 3, maxBatch: 8 })
 * workspace.gradient({ weight, bias, features, labels, examples: Int32Array.of(0, 1), loss }).loss
 * ```
 */
export function createTypeScriptHeadGradientKernel(): HeadGradientKernel {
  return { name: 'typescript', prepare: prepareTypeScriptWorkspace, memoryBytes: () => 0 }
}

function prepareTypeScriptWorkspace(shape: HeadGradientShape): HeadGradientWorkspace {
  assertGradientShape(shape)
  let disposed = false
  return {
    shape,
    gradient(input: HeadGradientInput): HeadGradient {
      if (disposed) throw new KernelError('this gradient workspace was disposed; prepare a new one', { kernel: 'typescript' })
      assertGradientInput(input, shape)
      return sdDropoutHeadGradient({ ...input, featureDim: shape.featureDim, classes: shape.classes })
    },
    dispose(): void {
      disposed = true
    },
  }
}
