import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import * as tf from '@tensorflow/tfjs-core'
import { InputError, KernelError } from '../errors.js'
import type { HeadKernel, HeadKernelName } from '../kernels/head-kernel.js'
import { nodeHeadGradientKernel } from '../fine-tune/node/load-wasm-head-gradient-kernel.js'
import { loadWasmHeadKernel } from '../kernels/node/load-wasm-head-kernel.js'
import { createTypeScriptHeadKernel } from '../kernels/typescript-head-kernel.js'
import { isWasmSimdSupported } from '../kernels/wasm-simd-support.js'
import type { BundleSource, ModelPlatform } from '../model/load-model.js'
import { readCommonSource } from '../model/read-source.js'
import { initTfjsWasmBackend } from '../runtime/tfjs-wasm-backend.js'

const require = createRequire(import.meta.url)

/**
 * The Node runtime: bundles from file paths (or `file:` / http(s) URLs, bytes, responses), the
 * tfjs wasm binary read from `@tensorflow/tfjs-backend-wasm/dist`, our kernel from this package's
 * `dist/head-kernel.wasm`.
 */
export const nodePlatform: ModelPlatform = {
  async readSource(source: BundleSource): Promise<Uint8Array> {
    const common = await readCommonSource(source)
    if (common !== null) return common
    const path = source instanceof URL ? fileURLToPath(source) : (source as string)
    try {
      return new Uint8Array(await readFile(path))
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error)
      throw new InputError(`cannot read bundle file ${path}: ${reason}`, { path }, { cause: error })
    }
  },

  async initBackbone(preference: 'wasm' | 'current'): Promise<string> {
    if (preference === 'current') {
      await tf.ready()
      return tf.getBackend()
    }
    const flavour = isWasmSimdSupported() ? 'wasm-simd' : 'wasm'
    const file = require.resolve(`@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm${flavour === 'wasm-simd' ? '-simd' : ''}.wasm`)
    return initTfjsWasmBackend(await WebAssembly.compile(await readFile(file)), flavour)
  },

  headKernel(preference: 'auto' | HeadKernelName): Promise<HeadKernel> {
    if (preference === 'typescript' || (preference === 'auto' && !isWasmSimdSupported())) return Promise.resolve(createTypeScriptHeadKernel())
    if (!isWasmSimdSupported()) return Promise.reject(new KernelError('kernel wasm-simd was asked for, but this runtime has no WebAssembly SIMD'))
    return loadWasmHeadKernel()
  },

  headGradientKernel: nodeHeadGradientKernel,
}
