import type { OodScoreName } from '../ood/score-name.js'

/**
 * The seam between the SDK and its compute kernels for the MC-dropout head (DESIGN section 2):
 * a {@link HeadKernel} turns a model's linear head into a {@link PreparedHead} once (weights copied
 * into the kernel's memory), and the prepared head runs per batch of pooled features h, returning
 * the deterministic logits, the calibrated MC-dropout probabilities, the uncertainty statistics and
 * every logit-based OOD score.
 *
 * Two implementations give the same results (parity-tested within 1e-5 + 1e-5 |value|):
 * `createWasmHeadKernel` (fused SIMD WebAssembly) and `createTypeScriptHeadKernel` (the reference,
 * and the fallback where WebAssembly SIMD is missing).
 *
 * @example
 * ```ts
 * const kernel: HeadKernel = isWasmSimdSupported() ? await createWasmHeadKernel(module) : createTypeScriptHeadKernel()
 * const head = kernel.prepare({ weight, bias, featureDim: 256, classes: 10 })
 * const out = head.run({ features, batch: 32, dropoutRate: 0.5, samples: 32, seed: 0, temperature: 1.3 })
 * out.probabilities.subarray(0, 10) // item 0's calibrated mean probabilities
 * head.dispose()
 * ```
 */
export interface HeadKernel {
  /** Which implementation this is. */
  readonly name: HeadKernelName
  /**
   * Copies a linear head into the kernel (once per model; the caller may reuse its arrays after).
   *
   * @throws {ShapeError} when `weight` is not D x C or `bias` not C values, or D, C are not positive integers.
   * @throws {InputError} when a weight or bias is NaN or infinite.
   * @throws {KernelError} when the kernel cannot allocate memory.
   */
  prepare(weights: HeadWeights): PreparedHead
  /** Bytes of linear memory the kernel holds (the wasm memory's size; 0 for the TypeScript kernel): a leak check, it must stay flat across runs. */
  memoryBytes(): number
}

/** The implementations of {@link HeadKernel}. */
export type HeadKernelName = 'wasm-simd' | 'typescript'

/** A linear head z = hW + b (DESIGN section 2). */
export interface HeadWeights {
  /** W, D x C row-major (feature-major): W[d, c] at `d * classes + c`, as the bundle's head weight part. */
  readonly weight: Float32Array
  /** b, C values. */
  readonly bias: Float32Array
  /** D, the length of the pooled feature vector h. */
  readonly featureDim: number
  /** C, the number of classes. */
  readonly classes: number
}

/** One batch for {@link PreparedHead.run}. */
export interface HeadRunInput {
  /** Pooled features h, B x D row-major (item-major); finite values. */
  readonly features: Float32Array
  /** B >= 1, the number of items. */
  readonly batch: number
  /** Drop probability p in [0, 1) of the dropout in front of the head. */
  readonly dropoutRate: number
  /** S >= 0 MC-dropout samples per item (0 = the deterministic prediction only). */
  readonly samples: number
  /** Mask seed, an unsigned 32-bit integer; masks depend on (seed, sample, feature) only, never on the item. */
  readonly seed: number
  /** The calibration temperature T_cal > 0 (1 = uncalibrated). */
  readonly temperature: number
}

/** The OOD scores a head kernel computes: every {@link OodScoreName} except `mahalanobis` (which needs h and fitted statistics). */
export type HeadKernelScoreName = Exclude<OodScoreName, 'mahalanobis'>

/**
 * OOD scores per item (B values each; higher = more likely out-of-distribution), DESIGN section 2.
 * The MC scores are `null` when S < 2 (DESIGN: MC scores need S >= 2), never NaN-filled.
 */
export interface HeadKernelScores {
  /** 1 - max_j softmax(z0 / T_cal)_j. */
  readonly msp: Float32Array
  /** -max_j z0_j. */
  readonly 'max-logit': Float32Array
  /** -logsumexp(z0) (energy temperature 1, raw logits). */
  readonly energy: Float32Array
  /** H[softmax(z0 / T_cal)] in nats. */
  readonly entropy: Float32Array
  /** H[pbar] in nats; null when S < 2. */
  readonly 'mc-entropy': Float32Array | null
  /** H[pbar] - mean_s H[p_s] in nats; null when S < 2. */
  readonly 'mutual-information': Float32Array | null
}

/** What {@link PreparedHead.run} returns: float32 arrays, item-major, owned by the caller. */
export interface HeadKernelOutput {
  readonly batch: number
  readonly classes: number
  readonly samples: number
  /** The deterministic logits z0 = hW + b (no dropout), B x C. */
  readonly logits: Float32Array
  /** pbar = mean_s softmax(z_s / T_cal) for S >= 1, softmax(z0 / T_cal) for S = 0; B x C, rows sum to 1. */
  readonly probabilities: Float32Array
  /** H[pbar] in nats, B values. */
  readonly predictiveEntropy: Float32Array
  /** mean_s H[softmax(z_s / T_cal)] in nats (= predictive entropy when S = 0), B values. */
  readonly expectedEntropy: Float32Array
  /** predictive - expected entropy (>= 0 up to rounding; 0 when S = 0), B values. */
  readonly mutualInformation: Float32Array
  /** Population variance over samples of p_s[argmax pbar] (0 when S = 0), B values. */
  readonly variance: Float32Array
  readonly scores: HeadKernelScores
}

/** A head copied into a kernel; run it per batch, dispose it when the model is unloaded. */
export interface PreparedHead {
  readonly featureDim: number
  readonly classes: number
  /**
   * Runs the MC-dropout head on one batch (see {@link HeadKernelOutput}). Item i's results depend
   * only on its own features (and the options), not on the batch around it.
   *
   * @throws {ShapeError} when `features.length !== batch * featureDim` or `batch` is not an integer >= 0.
   * @throws {InputError} for an empty batch or a non-finite feature.
   * @throws {OptionError} for S not an integer >= 0, a seed not an unsigned 32-bit integer, p outside [0, 1), T_cal not finite > 0.
   * @throws {KernelError} after `dispose()`, or when the kernel fails (out of memory).
   */
  run(input: HeadRunInput): HeadKernelOutput
  /** Frees the kernel memory of this head; later `run` calls throw `KernelError`. Idempotent. */
  dispose(): void
}
