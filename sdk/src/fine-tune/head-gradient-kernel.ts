import type { HeadKernelName } from '../kernels/head-kernel.js'

/**
 * The seam between fine-tuning and its compute kernels: one SD-Dropout training step of a linear
 * head z = hW + b on a batch of frozen pooled features h (DESIGN section 1). A kernel computes the
 * three heads z0 = hW + b, z1 = (h * m1) W + b, z2 = (h * m2) W + b, the loss
 *
 *   L = (1/B) sum_i [ CE(z0_i, y_i) + lambda * tau^2 * (KL(q1_i || q2_i) + KL(q2_i || q1_i)) ],  q_k = softmax(z_k / tau)
 *
 * and its analytic gradient with respect to W and b (see `sdDropoutHeadGradient` for the
 * derivation). Masks are inverted-dropout masks from the shared generator keyed by the example, not
 * by its batch position: m_k of example e is `dropoutMask(maskSeed, 2 e + k - 1, D, p)` (k = 1, 2).
 *
 * Two implementations give the same results (parity-tested, see head-gradient-parity.test.ts):
 * `createWasmHeadGradientKernel` (SIMD WebAssembly, exports of head-kernel.wasm) and
 * `createTypeScriptHeadGradientKernel` (the float64 reference, and the fallback without SIMD).
 *
 * @example
 * ```ts
 * const kernel = createTypeScriptHeadGradientKernel()
 * const workspace = kernel.prepare({ featureDim: 128, classes: 10, maxBatch: 32 })
 * const step = workspace.gradient({ weight, bias, features, labels, examples: [3, 17, 4], loss })
 * step.weightGradient // D x C, feature-major like W
 * workspace.dispose()
 * ```
 */
export interface HeadGradientKernel {
  /** Which implementation this is (the same names as the MC-dropout head kernels). */
  readonly name: HeadKernelName
  /**
   * Reserves what steps on a D x C head with batches of at most `maxBatch` items need.
   *
   * @throws {ShapeError} unless D, C and `maxBatch` are positive integers.
   * @throws {KernelError} when the kernel cannot allocate memory.
   */
  prepare(shape: HeadGradientShape): HeadGradientWorkspace
  /** Bytes of linear memory the kernel holds (0 for TypeScript); flat across steps. */
  memoryBytes(): number
}

/** The sizes a {@link HeadGradientWorkspace} is prepared for. */
export interface HeadGradientShape {
  /** D, the length of the pooled feature vector h. */
  readonly featureDim: number
  /** C, the number of classes. */
  readonly classes: number
  /** The largest batch a step will get. */
  readonly maxBatch: number
}

/** The SD-Dropout loss settings of one step (DESIGN section 1). */
export interface SdDropoutLossSettings {
  /** Drop probability p in [0, 1) of the two dropout branches. */
  readonly dropoutRate: number
  /** tau > 0, the distillation temperature (not T_cal). */
  readonly temperature: number
  /** lambda >= 0, the weight of the symmetric KL term; 0 = plain cross-entropy (no masks drawn). */
  readonly lambda: number
  /** true: each KL term's target side is a constant (its gradient flows into the predicting branch only); false: gradients flow through both sides (the official default). */
  readonly detach: boolean
  /** Unsigned 32-bit seed of the masks of this pass over the data (`deriveSeed(seed, epoch)` in fine-tuning). */
  readonly maskSeed: number
}

/** One step's input: the current head, the whole training set, and which examples form the batch. */
export interface HeadGradientInput {
  /** W, D x C row-major (feature-major), as the bundle stores it. */
  readonly weight: Float32Array
  /** b, C values. */
  readonly bias: Float32Array
  /** h of every training example, N x D row-major; finite (the caller checks once, not per step). */
  readonly features: Float32Array
  /** Class index in [0, C) of every training example, N values. */
  readonly labels: Int32Array
  /** The batch: example indices into `features` / `labels`, also the mask keys; 1 to maxBatch of them. */
  readonly examples: Int32Array
  readonly loss: SdDropoutLossSettings
}

/** What one step computes: batch-mean loss terms and the gradient of the total loss. */
export interface HeadGradient {
  /** The total loss L (batch mean), nats. */
  readonly loss: number
  /** mean_i CE(z0_i, y_i), nats. */
  readonly crossEntropy: number
  /** mean_i tau^2 (KL(q1 || q2) + KL(q2 || q1)), nats (before lambda; 0 when lambda = 0). */
  readonly distillation: number
  /** Items whose deterministic prediction argmax z0 equals the label (before the update). */
  readonly correct: number
  /** dL/dW, D x C feature-major. */
  readonly weightGradient: Float32Array | Float64Array
  /** dL/db, C values. */
  readonly biasGradient: Float32Array | Float64Array
}

/** A kernel's reserved state for steps of one shape; dispose it after training. */
export interface HeadGradientWorkspace {
  readonly shape: HeadGradientShape
  /**
   * Runs one step (see {@link HeadGradientKernel}).
   *
   * @throws {ShapeError} for arrays whose lengths do not match the shape, or a batch over `maxBatch`.
   * @throws {InputError} for an empty batch, an example index outside [0, N) or a label outside [0, C).
   * @throws {OptionError} for loss settings out of range.
   * @throws {KernelError} after `dispose()`.
   */
  gradient(input: HeadGradientInput): HeadGradient
  /** Frees the kernel memory; later steps throw {@link KernelError}. Idempotent. */
  dispose(): void
}
