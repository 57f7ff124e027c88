import { KernelError } from '../errors.js'
import { isWasmSimdSupported } from './wasm-simd-support.js'

/**
 * The raw exports ABI of `head-kernel.wasm` (sources in sdk/wasm/assembly): pointers are byte
 * offsets into `memory`, sizes in bytes unless named `Floats`. Any `alloc` may grow `memory` and so
 * detach every typed-array view over `memory.buffer`: create views only after the last allocation.
 */
export interface HeadKernelExports {
  readonly memory: WebAssembly.Memory
  /** Allocates `bytes` (16-byte aligned); traps when memory is exhausted. */
  alloc(bytes: number): number
  free(pointer: number): void
  /** Bytes of a prepared D x C head (packed W in class blocks of 8, then the padded bias). */
  preparedHeadBytes(featureDim: number, classes: number): number
  /** Packs W (D x C f32 at `weight`) and b (C f32 at `bias`) into `prepared`. */
  prepareHead(weight: number, bias: number, featureDim: number, classes: number, prepared: number): void
  /** f32 values `runHead` writes: 2 B C + 8 B. */
  outputFloats(batch: number, classes: number): number
  /** Scratch bytes `runHead` needs. */
  scratchBytes(featureDim: number, classes: number, samples: number): number
  /** The fused head; see sdk/wasm/assembly/fused-head.ts for the output layout. */
  runHead(
    features: number,
    batch: number,
    featureDim: number,
    classes: number,
    prepared: number,
    samples: number,
    seed: number,
    threshold: number,
    scale: number,
    inverseTemperature: number,
    scratch: number,
    out: number,
  ): void
}

const FUNCTIONS = ['alloc', 'free', 'preparedHeadBytes', 'prepareHead', 'outputFloats', 'scratchBytes', 'runHead'] as const

/**
 * Instantiates `head-kernel.wasm` from a compiled `WebAssembly.Module` (the only option on Cloudflare
 * Workers, where compiling from bytes is forbidden) or from its bytes (checking SIMD support first),
 * and checks that every export of the ABI is there. The module has no imports.
 *
 * @throws {KernelError} when SIMD is unsupported, the bytes do not compile, or an export is missing.
 * @example
 * ```ts
 * const exports = await instantiateHeadKernel(await readFile('dist/head-kernel.wasm'))
 * ```
 */
export async function instantiateHeadKernel(source: WebAssembly.Module | BufferSource): Promise<HeadKernelExports> {
  let module: WebAssembly.Module
  if (source instanceof WebAssembly.Module) {
    module = source // it compiled, so the runtime has SIMD: the module uses it throughout
  } else {
    if (!isWasmSimdSupported()) {
      throw new KernelError('this runtime has no WebAssembly SIMD; use createTypeScriptHeadKernel() instead', { kernel: 'wasm-simd' })
    }
    module = await WebAssembly.compile(source)
  }
  const instance = await WebAssembly.instantiate(module, {})
  const exports = instance.exports
  if (!(exports.memory instanceof WebAssembly.Memory)) throw missingExport('memory')
  for (const name of FUNCTIONS) if (typeof exports[name] !== 'function') throw missingExport(name)
  return exports as unknown as HeadKernelExports
}

function missingExport(name: string): KernelError {
  return new KernelError(`the module is not head-kernel.wasm: export ${name} is missing`, { kernel: 'wasm-simd', export: name })
}
