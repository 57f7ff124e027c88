import { KernelError } from '../errors.js'
import { headGradientKernelProvider } from '../fine-tune/head-gradient-kernel-provider.js'
import type { HeadKernel, HeadKernelName } from '../kernels/head-kernel.js'
import { createTypeScriptHeadKernel } from '../kernels/typescript-head-kernel.js'
import { createWasmHeadKernel } from '../kernels/wasm-head-kernel.js'
import { isWasmSimdSupported } from '../kernels/wasm-simd-support.js'
import type { BundleSource, ModelPlatform } from '../model/load-model.js'
import { readCommonSource } from '../model/read-source.js'
import { initTfjsWasmBackend } from '../runtime/tfjs-wasm-backend.js'
import * as tf from '@tensorflow/tfjs-core'

/** How a runtime obtains compiled WebAssembly modules for the backbone and our kernel. */
export interface WasmModules {
  /** tfjs-backend-wasm's binary: the SIMD build where `simd` is true. */
  tfjs(simd: boolean): Promise<WebAssembly.Module>
  /** Our fused head kernel (`head-kernel.wasm`). */
  headKernel(): Promise<WebAssembly.Module>
}

/**
 * A {@link ModelPlatform} for runtimes that get wasm as compiled modules (browsers fetch and
 * compile them; Workers import them precompiled) and bundles as bytes, responses or URLs
 * (`fetch`). One instance per runtime entry: it keeps the one wasm head kernel of the process.
 *
 * @example
 * ```ts
 * const platform = modulePlatform({ tfjs: () => compiled, headKernel: () => kernelModule })
 * ```
 */
export function modulePlatform(modules: WasmModules): ModelPlatform {
  let wasmKernel: Promise<HeadKernel> | null = null
  return {
    async readSource(source: BundleSource): Promise<Uint8Array> {
      const common = await readCommonSource(source)
      if (common !== null) return common
      return (await readCommonSource(await fetch(source as string))) as Uint8Array
    },
    async initBackbone(preference: 'wasm' | 'current'): Promise<string> {
      if (preference === 'current') {
        await tf.ready()
        return tf.getBackend()
      }
      const simd = isWasmSimdSupported()
      return initTfjsWasmBackend(await modules.tfjs(simd), simd ? 'wasm-simd' : 'wasm')
    },
    headKernel(preference: 'auto' | HeadKernelName): Promise<HeadKernel> {
      if (preference === 'typescript' || (preference === 'auto' && !isWasmSimdSupported())) return Promise.resolve(createTypeScriptHeadKernel())
      if (!isWasmSimdSupported()) return Promise.reject(new KernelError('kernel wasm-simd was asked for, but this runtime has no WebAssembly SIMD'))
      wasmKernel ??= modules
        .headKernel()
        .then((module) => createWasmHeadKernel(module))
        .catch((error: unknown) => {
          wasmKernel = null
          throw error
        })
      return wasmKernel
    },
    headGradientKernel: headGradientKernelProvider(() => modules.headKernel()),
  }
}
