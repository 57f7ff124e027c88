import { KernelError } from '../errors.js'
import type { HeadKernel } from './head-kernel.js'
import { instantiateHeadKernel } from './wasm-head-exports.js'
import { prepareWasmHead } from './wasm-prepared-head.js'

/** Process-wide init state, as ONNX Runtime web's `initializeWebAssembly`: one instance, one init. */
let state: 'idle' | 'initialising' | 'ready' | 'failed' = 'idle'
let failure: unknown = null

/**
 * Initialises the fused SIMD WebAssembly head kernel (`head-kernel.wasm`) and returns it as a
 * {@link HeadKernel}. Call it ONCE per process (or Worker isolate) and reuse the kernel: `prepare()`
 * one head per model on it. Pass a compiled `WebAssembly.Module` (Cloudflare Workers: the
 * module wrangler makes of `import wasm from '@sd-dropout/sdk/head-kernel.wasm'`; workerd forbids
 * compiling bytes) or the file's bytes (Node, browsers; SIMD support is checked first).
 *
 * Per call the kernel generates the masks once from the shared counter-based hash and groups the
 * features of every block of 4 samples by their 4-bit keep pattern (the same for every item). For
 * each group of 4 items it sums h_d W_d once per pattern group (4 items x 8 classes per inner step
 * in 8 f32x4 accumulators) and builds each sample's logits from the 8 groups that keep it, so it does
 * about (1 - p^4) / 4 of the multiply-adds of the naive S x D x C per item; softmax statistics run
 * vectorised over 4 samples with a polynomial exp and log (about 1e-7 relative error). Results match
 * the TypeScript reference within 1e-5 + 1e-5 |value| and do not depend on an item's batch position.
 *
 * @param source the compiled module or the bytes of `head-kernel.wasm`
 * @throws {KernelError} on a second call (init already done or in flight), after a failed init
 *   (the first failure is the `cause`), where WebAssembly SIMD is missing, or for a module that is
 *   not head-kernel.wasm. Fall back to `createTypeScriptHeadKernel()` where SIMD is missing.
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * const kernel = await createWasmHeadKernel(await readFile('node_modules/@sd-dropout/sdk/dist/head-kernel.wasm'))
 * const head = kernel.prepare({ weight, bias, featureDim: 256, classes: 10 })
 * ```
 */
export async function createWasmHeadKernel(source: WebAssembly.Module | BufferSource): Promise<HeadKernel> {
  if (state === 'failed') {
    throw new KernelError('a previous createWasmHeadKernel() failed; the wasm head kernel is unavailable in this process', { kernel: 'wasm-simd' }, { cause: failure })
  }
  if (state !== 'idle') {
    throw new KernelError(`the wasm head kernel is already ${state === 'ready' ? 'initialised' : 'initialising'}: create it once and reuse it (prepare one head per model)`, {
      kernel: 'wasm-simd',
    })
  }
  state = 'initialising'
  try {
    const wasm = await instantiateHeadKernel(source)
    state = 'ready'
    return { name: 'wasm-simd', prepare: (weights) => prepareWasmHead(wasm, weights), memoryBytes: () => wasm.memory.buffer.byteLength }
  } catch (error) {
    state = 'failed'
    failure = error
    if (error instanceof KernelError) throw error
    throw new KernelError(`could not instantiate head-kernel.wasm: ${error instanceof Error ? error.message : String(error)}`, { kernel: 'wasm-simd' }, { cause: error })
  }
}
