import { createTypeScriptHeadKernel, isWasmSimdSupported, loadWasmHeadKernel, type HeadKernel } from '@sd-dropout/sdk'

let kernel: Promise<HeadKernel> | null = null

/**
 * The head kernel a bundle is served with in Node, for this process: the SDK's fused wasm SIMD
 * kernel (`loadWasmHeadKernel`, `sdk/dist/head-kernel.wasm`), or the SDK's TypeScript reference
 * where WebAssembly SIMD is missing (the rule of `loadModel`'s `kernel: 'auto'`). The wasm kernel
 * can be initialised once per process, so every trainer path (the post-training fit, `evaluate`,
 * `predict`) takes it from here; a failed init is not cached, and its `KernelError` propagates.
 *
 * @throws {KernelError} when head-kernel.wasm is missing (run `npm run build`) or the SDK's wasm
 *   kernel was already initialised in this process by another caller (e.g. the SDK's `loadModel`).
 * @example
 * ```ts
 * const prepared = (await servingHeadKernel()).prepare({ weight, bias, featureDim: 64, classes: 10 })
 * ```
 */
export function servingHeadKernel(): Promise<HeadKernel> {
  kernel ??= (isWasmSimdSupported() ? loadWasmHeadKernel() : Promise.resolve(createTypeScriptHeadKernel())).catch((error: unknown) => {
    kernel = null
    throw error
  })
  return kernel
}
