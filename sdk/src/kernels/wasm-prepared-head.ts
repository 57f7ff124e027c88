import { KernelError } from '../errors.js'
import { dropThreshold } from '../masks/dropout-mask.js'
import type { HeadKernelOutput, HeadRunInput, HeadWeights, PreparedHead } from './head-kernel.js'
import { createHeadOutput } from './head-output.js'
import { assertHeadRunInput, assertHeadWeights } from './validate-head-input.js'
import type { HeadKernelExports } from './wasm-head-exports.js'

/**
 * Copies a linear head into the wasm kernel's memory (packed once, see sdk/wasm/assembly/head-weights.ts)
 * and returns the {@link PreparedHead} that runs the fused kernel on it. Every call frees what it
 * allocated in `try/finally`; views over wasm memory are created only after the last allocation.
 *
 * @throws {ShapeError} / {InputError} for a malformed head; {KernelError} when wasm memory runs out.
 * @example
 * ```ts
 * const head = prepareWasmHead(exports, { weight, bias, featureDim: 256, classes: 10 })
 * ```
 */
export function prepareWasmHead(wasm: HeadKernelExports, weights: HeadWeights): PreparedHead {
  assertHeadWeights(weights)
  const { featureDim, classes } = weights
  const prepared = allocate(wasm, wasm.preparedHeadBytes(featureDim, classes))
  let weight = 0
  let bias = 0
  try {
    weight = allocate(wasm, featureDim * classes * 4)
    bias = allocate(wasm, classes * 4)
    new Float32Array(wasm.memory.buffer, weight, featureDim * classes).set(weights.weight)
    new Float32Array(wasm.memory.buffer, bias, classes).set(weights.bias)
    wasm.prepareHead(weight, bias, featureDim, classes, prepared)
  } catch (error) {
    wasm.free(prepared)
    throw asKernelError(error, 'prepare')
  } finally {
    if (bias !== 0) wasm.free(bias)
    if (weight !== 0) wasm.free(weight)
  }
  let disposed = false
  return {
    featureDim,
    classes,
    run(input: HeadRunInput): HeadKernelOutput {
      if (disposed) throw new KernelError('this prepared head was disposed; prepare the head again', { kernel: 'wasm-simd' })
      assertHeadRunInput(input, featureDim)
      return runWasmHead(wasm, prepared, featureDim, classes, input)
    },
    dispose(): void {
      if (disposed) return
      disposed = true
      wasm.free(prepared)
    },
  }
}

function runWasmHead(wasm: HeadKernelExports, prepared: number, featureDim: number, classes: number, input: HeadRunInput): HeadKernelOutput {
  const { batch, samples } = input
  const outputFloats = wasm.outputFloats(batch, classes)
  let features = 0
  let scratch = 0
  let result = 0
  try {
    features = allocate(wasm, batch * featureDim * 4)
    scratch = allocate(wasm, wasm.scratchBytes(featureDim, classes, samples))
    result = allocate(wasm, outputFloats * 4)
    new Float32Array(wasm.memory.buffer, features, batch * featureDim).set(input.features)
    const threshold = dropThreshold(input.dropoutRate)
    const scale = 1 / (1 - input.dropoutRate) // rounded to f32 at the call, exactly as dropoutMask stores it
    wasm.runHead(features, batch, featureDim, classes, prepared, samples, input.seed, threshold, scale, 1 / input.temperature, scratch, result)
    return readOutput(new Float32Array(wasm.memory.buffer, result, outputFloats), batch, classes, samples)
  } catch (error) {
    throw asKernelError(error, 'run')
  } finally {
    if (result !== 0) wasm.free(result)
    if (scratch !== 0) wasm.free(scratch)
    if (features !== 0) wasm.free(features)
  }
}

/** Copies `runHead`'s output block (logits, probabilities, then 8 per-item statistics) into caller-owned arrays. */
function readOutput(block: Float32Array, batch: number, classes: number, samples: number): HeadKernelOutput {
  const out = createHeadOutput(batch, classes, samples)
  const matrix = batch * classes
  const statistic = (k: number): Float32Array => block.subarray(2 * matrix + k * batch, 2 * matrix + (k + 1) * batch)
  out.logits.set(block.subarray(0, matrix))
  out.probabilities.set(block.subarray(matrix, 2 * matrix))
  // The order of sdk/wasm/assembly/fused-head.ts.
  const targets = [out.predictiveEntropy, out.expectedEntropy, out.mutualInformation, out.variance, out.scores.msp, out.scores['max-logit'], out.scores.energy, out.scores.entropy]
  targets.forEach((target, k) => target.set(statistic(k)))
  out.scores['mc-entropy']?.set(statistic(0))
  out.scores['mutual-information']?.set(statistic(2))
  return out
}

/** `alloc` as an unsigned pointer; a trap (out of memory) becomes a KernelError. */
function allocate(wasm: HeadKernelExports, bytes: number): number {
  try {
    return wasm.alloc(bytes) >>> 0
  } catch (error) {
    throw asKernelError(error, `alloc(${bytes})`)
  }
}

function asKernelError(error: unknown, step: string): unknown {
  if (!(error instanceof WebAssembly.RuntimeError) && !(error instanceof RangeError)) return error
  return new KernelError(`wasm head kernel failed in ${step}: ${error.message}`, { kernel: 'wasm-simd', step }, { cause: error })
}
