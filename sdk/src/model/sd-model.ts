import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { KernelError } from '../errors.js'
import type { FineTuneOptions } from '../fine-tune/fine-tune-options.js'
import { fineTuneModel, type FineTuneResult } from '../fine-tune/fine-tune-model.js'
import type { FineTuneParent } from '../fine-tune/fine-tune-parent.js'
import type { HeadGradientKernelProvider } from '../fine-tune/head-gradient-kernel-provider.js'
import type { Manifest } from '../format/manifest.js'
import type { HeadKernel, HeadKernelName, HeadKernelOutput, PreparedHead } from '../kernels/head-kernel.js'
import type { MahalanobisStatistics } from '../ood/mahalanobis/mahalanobis-statistics.js'
import { mahalanobisScore } from '../ood/scores/mahalanobis-score.js'
import { argmax } from '../uncertainty/summarize-samples.js'
import type { BackboneArtifacts } from './backbone-artifacts.js'
import type { ModelInfo } from './model-info.js'
import { toInputBatch, type InputBatch, type InputLimits, type ModelInput } from './model-input.js'
import type { Prediction } from './prediction.js'
import { resolvePredictOptions, type PredictOptions, type ResolvedPredictOptions } from './predict-options.js'

/** Which implementations run a loaded model. */
export interface ModelRuntime {
  /** The tfjs backend that runs the backbone (`wasm-simd` / `wasm` for tfjs-backend-wasm, else tfjs's backend name). */
  readonly backbone: string
  /** The MC-dropout head kernel: our fused wasm SIMD kernel, or the TypeScript reference. */
  readonly head: HeadKernelName
  /** Bytes of wasm memory the head kernel holds now (0 for the TypeScript kernel); flat across calls. */
  headMemoryBytes(): number
}

/** What a loaded model keeps of its bundle so it can be fine-tuned (see `FineTuneParent`). */
export interface ParentParts {
  readonly manifest: Manifest
  /** SHA-256 (hex) of the bundle file. */
  readonly sha256: string
  /** The backbone parts as stored (reused unchanged by a fine-tuned bundle). */
  readonly backbone: BackboneArtifacts
  /** The head W [D, C] and b [C]. */
  readonly headWeight: Float32Array
  readonly headBias: Float32Array
}

/** Backbone items per tfjs call: bounds memory for large batches. */
const BACKBONE_CHUNK = 64

/**
 * A loaded sd-dropout model: runs the backbone once per batch on tfjs, then re-samples only the
 * dropout + head S times in the head kernel, and returns calibrated probabilities, uncertainty
 * and an OOD verdict per item. Create it with `loadModel`.
 */
export class SdModel {
  readonly info: ModelInfo
  readonly runtime: ModelRuntime
  readonly #backbone: tfl.LayersModel
  readonly #head: PreparedHead
  readonly #mahalanobis: MahalanobisStatistics | null
  readonly #limits: InputLimits
  readonly #parent: ParentParts
  readonly #headKernel: HeadKernel
  readonly #gradientKernel: HeadGradientKernelProvider
  #disposed = false

  /** @internal use `loadModel`. */
  constructor(parts: {
    info: ModelInfo
    runtime: ModelRuntime
    backbone: tfl.LayersModel
    head: PreparedHead
    mahalanobis: MahalanobisStatistics | null
    limits: InputLimits
    parent: ParentParts
    headKernel: HeadKernel
    gradientKernel: HeadGradientKernelProvider
  }) {
    this.info = parts.info
    this.runtime = parts.runtime
    this.#backbone = parts.backbone
    this.#head = parts.head
    this.#mahalanobis = parts.mahalanobis
    this.#limits = parts.limits
    this.#parent = parts.parent
    this.#headKernel = parts.headKernel
    this.#gradientKernel = parts.gradientKernel
  }

  /**
   * Predicts a batch: per item the label, calibrated probabilities, confidence, abstain flag,
   * uncertainty and OOD verdict. Results do not depend on an item's position in the batch.
   *
   * @throws {OptionError} for bad options; {ShapeError} / {InputError} for bad inputs; {KernelError} after dispose.
   * @example
   * ```ts
   * const [first] = await model.predict([digit], { samples: 32, seed: 7 })
   * if (first.ood.isOutOfDistribution) console.log('not something this model knows')
   * ```
   */
  async predict(inputs: ModelInput, options?: PredictOptions): Promise<Prediction[]> {
    const resolved = resolvePredictOptions(options, this.info)
    const { features, batch } = await this.#features(inputs)
    const out = this.#runHead(features, batch, resolved)
    return Array.from({ length: batch }, (_, i) => this.#prediction(out, features, i, resolved))
  }

  /**
   * The pooled backbone features h of a batch (B x D float32, item-major): what the head sees.
   *
   * @example
   * ```ts
   * const { features, batch } = await model.features(inputs)
   * ```
   */
  async features(inputs: ModelInput): Promise<{ features: Float32Array; batch: number }> {
    return this.#features(inputs)
  }

  /**
   * Runs only the head (dropout + linear + softmax statistics) on given features.
   *
   * @example
   * ```ts
   * const out = model.head(features, batch, { samples: 32, seed: 0 })
   * ```
   */
  head(features: Float32Array, batch: number, options?: PredictOptions): HeadKernelOutput {
    this.#assertLive()
    return this.#runHead(features, batch, resolvePredictOptions(options, this.info, true))
  }

  /**
   * Adapts the model to new labelled examples where it runs: the backbone stays frozen (run once
   * per example), the linear head is trained with the SD-Dropout loss (or plain cross-entropy with
   * `lambda: 0`) by the analytic gradient in the wasm SIMD kernel where available, the label set
   * may be kept, extended or replaced, and T_cal, every OOD threshold, the selective threshold and
   * the Mahalanobis statistics are refitted on the new data. Returns a NEW bundle (this model is
   * unchanged) whose provenance names this model as parent. See docs/sdk.md "Fine-tuning at the edge".
   *
   * @param labels one per input: a label name or a class index of the (new) label set
   * @throws {OptionError} for bad options or an abort (option `signal`); {ShapeError} / {InputError}
   *   for mismatched lengths, unknown labels, an empty set, NaN, a new class without examples;
   *   {KernelError} after dispose or when a kernel fails.
   * @example
   * ```ts
   * const { bundle, metrics } = await model.fineTune(images, labels, { epochs: 20, onProgress: (e) => console.log(e) })
   * const adapted = await loadModel(bundle)
   * ```
   */
  async fineTune(inputs: ModelInput, labels: readonly (number | string)[], options?: FineTuneOptions): Promise<FineTuneResult> {
    this.#assertLive()
    return fineTuneModel(this.#fineTuneParent(), inputs, labels, options)
  }

  /** Frees the backbone's tensors and the head's kernel memory. Idempotent; later calls throw {@link KernelError}. */
  dispose(): void {
    if (this.#disposed) return
    this.#disposed = true
    this.#backbone.dispose()
    this.#head.dispose()
  }

  async #features(inputs: ModelInput): Promise<{ features: Float32Array; batch: number }> {
    this.#assertLive()
    const input = toInputBatch(inputs, this.info.input, this.#limits)
    return { features: await this.#backboneFeatures(input), batch: input.batch }
  }

  async #backboneFeatures({ data, batch }: InputBatch): Promise<Float32Array> {
    this.#assertLive()
    const size = this.info.inputSize
    const featureDim = this.info.featureDim
    const features = new Float32Array(batch * featureDim)
    for (let start = 0; start < batch; start += BACKBONE_CHUNK) {
      const count = Math.min(BACKBONE_CHUNK, batch - start)
      const output = tf.tidy(() => {
        const x = tf.tensor(data.subarray(start * size, (start + count) * size), [count, ...this.info.input.shape], 'float32')
        return this.#backbone.predict(x) as tf.Tensor
      })
      try {
        features.set((await output.data()), start * featureDim)
      } finally {
        output.dispose()
      }
    }
    return features
  }

  #fineTuneParent(): FineTuneParent {
    return {
      ...this.#parent,
      headKernel: this.#headKernel,
      gradientKernel: this.#gradientKernel,
      inputBatch: (inputs, maxItems) => toInputBatch(inputs, this.info.input, { ...this.#limits, maxBatch: maxItems }),
      backboneFeatures: (batch) => this.#backboneFeatures(batch),
    }
  }

  #runHead(features: Float32Array, batch: number, options: ResolvedPredictOptions): HeadKernelOutput {
    return this.#head.run({
      features,
      batch,
      dropoutRate: this.info.dropoutRate,
      samples: options.samples,
      seed: options.seed,
      temperature: this.info.calibration.temperature,
    })
  }

  #prediction(out: HeadKernelOutput, features: Float32Array, i: number, options: ResolvedPredictOptions): Prediction {
    const classes = out.classes
    const probabilities = Array.from(out.probabilities.subarray(i * classes, (i + 1) * classes))
    const classIndex = argmax(probabilities)
    const confidence = probabilities[classIndex] as number
    const method = options.oodScore
    const score =
      method === 'mahalanobis'
        ? mahalanobisScore(features.subarray(i * this.info.featureDim, (i + 1) * this.info.featureDim), this.#mahalanobis as MahalanobisStatistics)
        : ((out.scores[method] as Float32Array)[i] as number)
    const threshold = this.info.ood.thresholds[method] ?? null
    return {
      label: this.info.labels[classIndex] as string,
      classIndex,
      probabilities,
      confidence,
      abstain: this.info.selective !== null && confidence < this.info.selective.confidenceThreshold,
      uncertainty: {
        predictiveEntropy: out.predictiveEntropy[i] as number,
        expectedEntropy: out.expectedEntropy[i] as number,
        // >= 0 in exact arithmetic; float32 rounding can leave -1e-7, which callers should not see
        mutualInformation: Math.max(0, out.mutualInformation[i] as number),
        variance: out.variance[i] as number,
      },
      ood: { score, method, threshold, isOutOfDistribution: threshold !== null && score > threshold },
    }
  }

  #assertLive(): void {
    if (this.#disposed) throw new KernelError(`model ${this.info.name} was disposed`)
  }
}
