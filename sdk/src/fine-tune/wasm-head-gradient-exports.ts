import { KernelError } from '../errors.js'
import { isWasmSimdSupported } from '../kernels/wasm-simd-support.js'

/**
 * The head-gradient part of the raw exports ABI of `head-kernel.wasm` (sources:
 * sdk/wasm/assembly/head-gradient.ts and its imports). The training kernel lives in the same
 * module as the MC-dropout head, so every runtime that ships `head-kernel.wasm` can fine-tune;
 * fine-tuning instantiates the module separately, so training memory never mixes with inference.
 * Pointers are byte offsets into `memory`; any `alloc` may grow it and detach typed-array views.
 */
export interface HeadGradientExports {
  readonly memory: WebAssembly.Memory
  /** Allocates `bytes` (16-byte aligned); traps when memory is exhausted. */
  alloc(bytes: number): number
  free(pointer: number): void
  /** Scratch bytes `headGradient` needs for D features and C classes. */
  gradientScratchBytes(featureDim: number, classes: number): number
  /** One step; see sdk/wasm/assembly/head-gradient.ts for the arguments and the statistics layout. */
  headGradient(
    features: number,
    labels: number,
    examples: number,
    batch: number,
    featureDim: number,
    classes: number,
    weight: number,
    bias: number,
    threshold: number,
    scale: number,
    temperature: number,
    lambda: number,
    detach: number,
    maskSeed: number,
    scratch: number,
    weightGradient: number,
    biasGradient: number,
    statistics: number,
  ): void
}

const FUNCTIONS = ['alloc', 'free', 'gradientScratchBytes', 'headGradient'] as const

/**
 * Instantiates `head-kernel.wasm` for training from a compiled module (Cloudflare Workers) or its
 * bytes (checking SIMD support first) and checks the head-gradient exports.
 *
 * @throws {KernelError} when SIMD is unsupported, the bytes do not compile, or an export is missing
 *   (a `head-kernel.wasm` built before the gradient kernel existed).
 * @example
 * ```ts
 * const exports = await instantiateHeadGradientKernel(await readHeadKernelWasm())
 * ```
 */
export async function instantiateHeadGradientKernel(source: WebAssembly.Module | BufferSource): Promise<HeadGradientExports> {
  let module: WebAssembly.Module
  if (source instanceof WebAssembly.Module) {
    module = source
  } else {
    if (!isWasmSimdSupported()) throw new KernelError('this runtime has no WebAssembly SIMD; use createTypeScriptHeadGradientKernel() instead', { kernel: 'wasm-simd' })
    module = await WebAssembly.compile(source)
  }
  const exports = (await WebAssembly.instantiate(module, {})).exports
  if (!(exports.memory instanceof WebAssembly.Memory)) throw missingExport('memory')
  for (const name of FUNCTIONS) if (typeof exports[name] !== 'function') throw missingExport(name)
  return exports as unknown as HeadGradientExports
}

function missingExport(name: string): KernelError {
  return new KernelError(`the module has no head-gradient export ${name}: it is not a current head-kernel.wasm (run npm run build)`, { kernel: 'wasm-simd', export: name })
}
