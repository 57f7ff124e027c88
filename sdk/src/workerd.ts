/**
 * @sd-dropout/sdk for Cloudflare Workers (workerd): everything in the universal entry, plus
 * `loadModel` from bytes, a `Response` (e.g. an R2 object's body wrapped in one) or a URL.
 * workerd cannot compile WebAssembly from bytes, so the wasm binaries are imported as modules,
 * which wrangler precompiles (the default `CompiledWasm` rule for `.wasm`). Keep `nodejs_compat`
 * off: tfjs-backend-wasm's glue would take its Node path.
 *
 * @example
 * ```ts
 * import { loadModel } from '@sd-dropout/sdk'
 * import bundle from './model.sdd' // a wrangler `Data` rule
 * const model = await loadModel(bundle)
 * ```
 */
import tfjsSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'
import headKernel from './head-kernel.wasm'
import { loadModelOn, type BundleSource, type LoadModelOptions } from './model/load-model.js'
import type { SdModel } from './model/sd-model.js'
import { modulePlatform } from './platform/module-platform.js'

export * from './index.js'

// workerd always has WebAssembly SIMD; shipping only the SIMD binary keeps the upload small.
const platform = modulePlatform({
  tfjs: () => Promise.resolve(tfjsSimd),
  headKernel: () => Promise.resolve(headKernel),
})

/**
 * Loads a model bundle inside a Worker from bytes, a `Response` or a URL.
 *
 * @example
 * ```ts
 * const model = await loadModel(await env.MODELS.get('digits.sdd').then((o) => o.arrayBuffer()))
 * ```
 */
export function loadModel(source: BundleSource, options?: LoadModelOptions): Promise<SdModel> {
  return loadModelOn(platform, source, options)
}
