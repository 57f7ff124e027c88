import type * as tf from '@tensorflow/tfjs-core'
import type { JsonValue } from '@sd-dropout/sdk'
import type { LinearHead } from '../models/linear-head.js'

/** What one training forward pass produced (inside the gradient tape). */
export interface ForwardPass {
  /** h, the pooled features, [B, D]. */
  readonly features: tf.Tensor2D
  /** The backbone's stage feature maps, shallow to deep (for methods that distil features). */
  readonly stages: readonly tf.Tensor[]
  /** z0 = head(h) without dropout, [B, C]. */
  readonly logits: tf.Tensor2D
}

/** One training batch as a method sees it. */
export interface MethodBatch {
  /** One-hot labels, [B, C] float32. */
  readonly oneHot: tf.Tensor2D
  /** Class ids of the items. */
  readonly labels: Int32Array
  /** Training-set indices of the items (per-sample state such as PS-KD's previous predictions). */
  readonly indices: Int32Array
  /** Global optimisation step (0-based) and epoch (0-based) of this batch, and the run's epoch count. */
  readonly step: number
  readonly epoch: number
  readonly epochs: number
}

/** What a method may use besides the forward pass. */
export interface MethodContext {
  readonly head: LinearHead
  /** The run seed; methods derive their own streams from it (e.g. dropout masks per step). */
  readonly seed: number
}

/** A loss and its named parts (all scalars, for logging). */
export interface LossTerms {
  readonly total: tf.Scalar
  readonly terms: Readonly<Record<string, tf.Scalar>>
}

/** State a method carries across steps (saved in checkpoints so `--resume` continues exactly). */
export interface MethodState {
  readonly json: JsonValue
  readonly tensors: Readonly<Record<string, Float32Array>>
}

/**
 * A training method: the loss of one batch given its forward pass. Later methods (PS-KD, FRSKD,
 * LSSKD) implement the optional hooks: extra trainable variables (a self-teacher), per-step
 * bookkeeping outside the tape, and state for checkpoints. "method + sd-dropout" wraps any method
 * with `withSdDropout`.
 */
export interface TrainingMethod {
  /** e.g. `ce`, `sd-dropout`, `ps-kd+sd-dropout`: what provenance records. */
  readonly name: string
  /** Every hyper-parameter of the method, for provenance. */
  readonly hyperParameters: Readonly<Record<string, JsonValue>>
  /** The batch loss; called inside the gradient tape, so it must use tfjs ops only. */
  loss(pass: ForwardPass, batch: MethodBatch, context: MethodContext): LossTerms
  /** Extra trainable variables the optimiser must update (e.g. a self-teacher network), by unique name. */
  variables?(): readonly { readonly name: string; readonly variable: tf.Variable }[]
  /** Called after each optimiser step with the batch's (no-dropout) logits, outside the tape. */
  afterStep?(logits: Float32Array, batch: Omit<MethodBatch, 'oneHot'>): void
  saveState?(): MethodState
  loadState?(state: MethodState): void
}
