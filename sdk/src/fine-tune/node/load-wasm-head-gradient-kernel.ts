import { readHeadKernelWasm } from '../../kernels/node/load-wasm-head-kernel.js'
import { headGradientKernelProvider, type HeadGradientKernelProvider } from '../head-gradient-kernel-provider.js'

/**
 * Node only: the head-gradient kernel provider reading `head-kernel.wasm` from this package's
 * `dist/` (see `headKernelWasmPath`) on first use. Plug it into the Node platform as
 * `headGradientKernel` so `model.fineTune` runs the wasm SIMD kernel; it instantiates once per process.
 *
 * @example
 * ```ts
 * const kernel = await nodeHeadGradientKernel('auto')
 * const workspace = kernel.prepare({ featureDim: 128, classes: 10, maxBatch: 32 })
 * ```
 */
export const nodeHeadGradientKernel: HeadGradientKernelProvider = headGradientKernelProvider(() => readHeadKernelWasm())
