/**
 * @sd-dropout/sdk for browsers: everything in the universal entry, plus `loadModel` from a URL.
 * The wasm binaries (`tfjs-backend-wasm-simd.wasm`, `tfjs-backend-wasm.wasm`, `head-kernel.wasm`)
 * are fetched from beside this module unless {@link setWasmBaseUrl} says where they are.
 *
 * @example
 * ```ts
 * import { loadModel } from '@sd-dropout/sdk'
 * const model = await loadModel('/models/mnist-sd-dropout/model.sdd')
 * ```
 */
import { loadModelOn, type BundleSource, type LoadModelOptions } from './model/load-model.js'
import type { SdModel } from './model/sd-model.js'
import { modulePlatform } from './platform/module-platform.js'

export * from './index.js'

let baseUrl: string | URL = new URL('./', import.meta.url)

/**
 * Where the SDK fetches its wasm binaries (a folder URL ending in `/`); call before `loadModel`.
 *
 * @example
 * ```ts
 * setWasmBaseUrl('/static/sd-dropout/')
 * ```
 */
export function setWasmBaseUrl(url: string | URL): void {
  baseUrl = url
}

const compile = (file: string): Promise<WebAssembly.Module> => WebAssembly.compileStreaming(fetch(new URL(file, baseUrl)))

const platform = modulePlatform({
  tfjs: (simd) => compile(simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm'),
  headKernel: () => compile('head-kernel.wasm'),
})

/**
 * Loads a model bundle in the browser from a URL, bytes or a `Response`.
 *
 * @example
 * ```ts
 * const model = await loadModel(new URL('model.sdd', location.href))
 * ```
 */
export function loadModel(source: BundleSource, options?: LoadModelOptions): Promise<SdModel> {
  return loadModelOn(platform, source, options)
}
