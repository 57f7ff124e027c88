/**
 * @sd-dropout/sdk for Node: everything in the universal entry, plus `loadModel` from a file path
 * and the Node-only file helpers (atomic bundle writes).
 *
 * @example
 * ```ts
 * import { loadModel } from '@sd-dropout/sdk'
 * const model = await loadModel('models/mnist-sd-dropout/model.sdd')
 * const results = await model.predict(inputs, { samples: 32, seed: 7 })
 * model.dispose()
 * ```
 */
import { loadModelOn, type BundleSource, type LoadModelOptions } from './model/load-model.js'
import type { SdModel } from './model/sd-model.js'
import { nodePlatform } from './platform/node-platform.js'

export * from './index.js'
export * from './format/node/index.js'
export { headKernelWasmPath, loadWasmHeadKernel } from './kernels/node/index.js'
export { nodeHeadGradientKernel } from './fine-tune/node/index.js'

/**
 * Loads a model bundle in Node from a file path, a `file:` or http(s) URL, bytes or a `Response`.
 * The backbone runs on tfjs-backend-wasm (SIMD), the MC-dropout head in the fused wasm SIMD kernel.
 *
 * @throws {InputError} when the file cannot be read; {FormatError} / {IntegrityError} / {SignatureError} for a bad bundle.
 * @example
 * ```ts
 * const model = await loadModel('models/mnist-sd-dropout/model.sdd')
 * ```
 */
export function loadModel(source: BundleSource, options?: LoadModelOptions): Promise<SdModel> {
  return loadModelOn(nodePlatform, source, options)
}
