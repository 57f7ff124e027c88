import { KernelError } from '../errors.js'
import { dropThreshold } from '../masks/dropout-mask.js'
import type { HeadGradient, HeadGradientInput, HeadGradientKernel, HeadGradientShape, HeadGradientWorkspace } from './head-gradient-kernel.js'
import { assertGradientInput, assertGradientShape } from './validate-gradient-input.js'
import { instantiateHeadGradientKernel, type HeadGradientExports } from './wasm-head-gradient-exports.js'

let state: 'idle' | 'initialising' | 'ready' | 'failed' = 'idle'
let failure: unknown = null

/**
 * Initialises the SIMD WebAssembly head-gradient kernel (the `headGradient` export of
 * `head-kernel.wasm`, in its own instance) and returns it as a {@link HeadGradientKernel}. Call it
 * ONCE per process or Worker isolate and reuse it; `prepare()` one workspace per fine-tuning run.
 *
 * Per step, the batch's features are gathered into wasm memory (B x D floats), then per item the two
 * masks are hashed 4 features at a time, the three heads run with lanes over classes (blocks of 8
 * classes, 6 f32x4 accumulators) and the rank-3 update of dW follows; softmax and KL terms are
 * vectorised over classes with a polynomial exp (about 1e-7 relative error). Accumulation is float32
 * (the reference accumulates in float64); parity within 1e-5 + 1e-4 |value| is tested.
 *
 * @param source the compiled module or the bytes of `head-kernel.wasm`
 * @throws {KernelError} on a second call, after a failed init (its error is the `cause`), without
 *   WebAssembly SIMD, or for a module without the gradient exports.
 * @example
 * ```ts
 * const kernel = await createWasmHeadGradientKernel(await readHeadKernelWasm())
 * const workspace = kernel.prepare({ featureDim: 128, classes: 10, maxBatch: 32 })
 * ```
 */
export async function createWasmHeadGradientKernel(source: WebAssembly.Module | BufferSource): Promise<HeadGradientKernel> {
  if (state === 'failed') throw new KernelError('a previous createWasmHeadGradientKernel() failed; the wasm gradient kernel is unavailable in this process', { kernel: 'wasm-simd' }, { cause: failure })
  if (state !== 'idle') throw new KernelError(`the wasm gradient kernel is already ${state === 'ready' ? 'initialised' : 'initialising'}: create it once and reuse it`, { kernel: 'wasm-simd' })
  state = 'initialising'
  try {
    const wasm = await instantiateHeadGradientKernel(source)
    state = 'ready'
    return { name: 'wasm-simd', prepare: (shape) => prepareWorkspace(wasm, shape), memoryBytes: () => wasm.memory.buffer.byteLength }
  } catch (error) {
    state = 'failed'
    failure = error
    if (error instanceof KernelError) throw error
    throw new KernelError(`could not instantiate head-kernel.wasm for training: ${error instanceof Error ? error.message : String(error)}`, { kernel: 'wasm-simd' }, { cause: error })
  }
}

/** Byte offsets of one workspace's regions inside its single allocation. */
interface Regions {
  readonly features: number
  readonly labels: number
  readonly examples: number
  readonly weight: number
  readonly bias: number
  readonly weightGradient: number
  readonly biasGradient: number
  readonly statistics: number
  readonly scratch: number
  readonly bytes: number
}

function layout(wasm: HeadGradientExports, { featureDim: d, classes: c, maxBatch }: HeadGradientShape): Regions {
  let bytes = 0
  const take = (size: number): number => {
    const at = bytes
    bytes += Math.ceil(size / 16) * 16
    return at
  }
  const features = take(maxBatch * d * 4 + 16) // + 16: masks are built 4 features at a time
  const labels = take(maxBatch * 4)
  const examples = take(maxBatch * 4)
  const weight = take(d * c * 4)
  const bias = take(c * 4)
  const weightGradient = take(d * c * 4)
  const biasGradient = take(c * 4)
  const statistics = take(3 * 8)
  const scratch = take(wasm.gradientScratchBytes(d, c))
  return { features, labels, examples, weight, bias, weightGradient, biasGradient, statistics, scratch, bytes }
}

function prepareWorkspace(wasm: HeadGradientExports, shape: HeadGradientShape): HeadGradientWorkspace {
  assertGradientShape(shape)
  const regions = layout(wasm, shape)
  let base: number
  try {
    base = wasm.alloc(regions.bytes) >>> 0
  } catch (error) {
    throw new KernelError(`wasm gradient kernel: cannot allocate ${regions.bytes} bytes`, { kernel: 'wasm-simd', bytes: regions.bytes }, { cause: error })
  }
  let disposed = false
  return {
    shape,
    gradient(input: HeadGradientInput): HeadGradient {
      if (disposed) throw new KernelError('this gradient workspace was disposed; prepare a new one', { kernel: 'wasm-simd' })
      assertGradientInput(input, shape)
      return step(wasm, base, regions, shape, input)
    },
    dispose(): void {
      if (disposed) return
      disposed = true
      wasm.free(base)
    },
  }
}

function step(wasm: HeadGradientExports, base: number, at: Regions, shape: HeadGradientShape, input: HeadGradientInput): HeadGradient {
  const { featureDim: d, classes: c } = shape
  const { examples, loss } = input
  const batch = examples.length
  const buffer = wasm.memory.buffer // no allocation happens below, so views stay attached
  const features = new Float32Array(buffer, base + at.features, batch * d)
  const labels = new Int32Array(buffer, base + at.labels, batch)
  for (let i = 0; i < batch; i++) {
    const e = examples[i] as number
    features.set(input.features.subarray(e * d, (e + 1) * d), i * d)
    labels[i] = input.labels[e] as number
  }
  new Int32Array(buffer, base + at.examples, batch).set(examples)
  new Float32Array(buffer, base + at.weight, d * c).set(input.weight)
  new Float32Array(buffer, base + at.bias, c).set(input.bias)
  try {
    wasm.headGradient(
      base + at.features,
      base + at.labels,
      base + at.examples,
      batch,
      d,
      c,
      base + at.weight,
      base + at.bias,
      dropThreshold(loss.dropoutRate),
      1 / (1 - loss.dropoutRate),
      loss.temperature,
      loss.lambda,
      loss.detach ? 1 : 0,
      loss.maskSeed,
      base + at.scratch,
      base + at.weightGradient,
      base + at.biasGradient,
      base + at.statistics,
    )
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) throw new KernelError(`wasm gradient kernel failed: ${error.message}`, { kernel: 'wasm-simd' }, { cause: error })
    throw error
  }
  const statistics = new Float64Array(buffer, base + at.statistics, 3)
  const crossEntropy = (statistics[0] as number) / batch
  const distillation = (statistics[1] as number) / batch
  return {
    loss: crossEntropy + loss.lambda * distillation,
    crossEntropy,
    distillation,
    correct: statistics[2] as number,
    weightGradient: new Float32Array(buffer, base + at.weightGradient, d * c).slice(),
    biasGradient: new Float32Array(buffer, base + at.biasGradient, c).slice(),
  }
}
