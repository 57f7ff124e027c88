import { KernelError } from '../errors.js'
import type { HeadKernelName } from '../kernels/head-kernel.js'
import { isWasmSimdSupported } from '../kernels/wasm-simd-support.js'
import type { HeadGradientKernel } from './head-gradient-kernel.js'
import { createTypeScriptHeadGradientKernel } from './typescript-head-gradient-kernel.js'
import { createWasmHeadGradientKernel } from './wasm-head-gradient-kernel.js'

/** Which gradient kernel a caller wants: `auto` (wasm SIMD when available, else TypeScript) or one by name. */
export type HeadGradientKernelPreference = 'auto' | HeadKernelName

/** Resolves a preference to a kernel (a platform supplies one; `ModelPlatform.headGradientKernel`). */
export type HeadGradientKernelProvider = (preference: HeadGradientKernelPreference) => Promise<HeadGradientKernel>

/**
 * A {@link HeadGradientKernelProvider} that instantiates the wasm kernel at most once (on first
 * use, from what `load` returns: the compiled `head-kernel.wasm` module or its bytes) and hands out
 * the TypeScript reference for `typescript`, or for `auto` where WebAssembly SIMD is missing. A
 * failed load is retried on the next call; a failed instantiation is final (see
 * `createWasmHeadGradientKernel`).
 *
 * @throws {KernelError} (from the returned function) for `wasm-simd` without SIMD, or when loading fails.
 * @example
 * ```ts
 * const provider = headGradientKernelProvider(() => modules.headKernel()) // browsers, Workers
 * const kernel = await provider('auto')
 * ```
 */
export function headGradientKernelProvider(load: () => Promise<WebAssembly.Module | BufferSource>): HeadGradientKernelProvider {
  let wasm: Promise<HeadGradientKernel> | null = null
  return (preference) => {
    if (preference === 'typescript' || (preference === 'auto' && !isWasmSimdSupported())) return Promise.resolve(createTypeScriptHeadGradientKernel())
    if (!isWasmSimdSupported()) return Promise.reject(new KernelError('kernel wasm-simd was asked for, but this runtime has no WebAssembly SIMD', { kernel: 'wasm-simd' }))
    wasm ??= load()
      .catch((error: unknown) => {
        wasm = null
        throw error
      })
      .then((source) => createWasmHeadGradientKernel(source))
    return wasm
  }
}

/**
 * The provider of a platform that ships no gradient kernel: the TypeScript reference for `auto`
 * and `typescript`, a {@link KernelError} for `wasm-simd`.
 *
 * @example
 * ```ts
 * const kernel = await typescriptOnlyGradientKernel('auto') // the TypeScript reference
 * ```
 */
export const typescriptOnlyGradientKernel: HeadGradientKernelProvider = (preference) =>
  preference === 'wasm-simd'
    ? Promise.reject(new KernelError('this platform provides no wasm gradient kernel (ModelPlatform.headGradientKernel is not set)', { kernel: 'wasm-simd' }))
    : Promise.resolve(createTypeScriptHeadGradientKernel())
