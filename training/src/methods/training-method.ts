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
  /**
   * When the method expanded the batch (`expandInputs`): h and the stage maps of ALL N >= B items
   * that went through the backbone, the B originals first. `features`, `stages` and `logits` above
   * are then the rows of the B originals.
   */
  readonly expanded?: { readonly features: tf.Tensor2D; readonly stages: readonly tf.Tensor[] }
}

/** Images of one batch on the host, as `expandInputs` receives and returns them. */
export interface HostImages {
  /** count x prod(itemShape) values, item-major. */
  readonly images: Float32Array
  readonly count: number
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

/** What a method needs to build its own networks (a self-teacher, auxiliary classifiers). */
export interface MethodSetup {
  /** Shape of each backbone stage output (outputs 1..k) without the batch axis, shallow to deep: [H, W, C] maps or [units]. */
  readonly stageShapes: readonly (readonly number[])[]
  /** Whether the deepest stage is the map h is pooled from (conv nets) rather than a layer before h (MLPs). */
  readonly deepestStageIsPooled: boolean
  /** D, the length of h. */
  readonly featureDim: number
  /** Shape of one input item, e.g. [28, 28, 1]. */
  readonly itemShape: readonly number[]
  /** C. */
  readonly classes: number
  /** Initializer seed of the method's variables. */
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
 * A training method: the loss of one batch given its forward pass. The self-KD peers implement the
 * optional hooks: extra trainable variables (FRSKD's self-teacher, LSSKD's auxiliary classifiers),
 * extra items through the backbone (LSSKD's rotated copies), per-step bookkeeping outside the tape
 * (PS-KD's per-sample predictions), and state for checkpoints. "method + sd-dropout" wraps any
 * method with `withSdDropout`.
 */
export interface TrainingMethod {
  /** e.g. `ce`, `sd-dropout`, `ps-kd+sd-dropout`: what provenance records. */
  readonly name: string
  /** Every hyper-parameter of the method, for provenance. */
  readonly hyperParameters: Readonly<Record<string, JsonValue>>
  /** The batch loss; called inside the gradient tape, so it must use tfjs ops only. */
  loss(pass: ForwardPass, batch: MethodBatch, context: MethodContext): LossTerms
  /**
   * Extra trainable variables the optimiser must update (e.g. a self-teacher network), by unique
   * name. They are saved in checkpoints, never exported.
   */
  variables?(): readonly { readonly name: string; readonly variable: tf.Variable }[]
  /**
   * Items to put through the backbone instead of the batch (outside the tape): the B originals
   * first, in order, then any extra items (e.g. rotated copies); the forward pass then carries
   * `expanded`. Called once per step with the (augmented) training images.
   */
  expandInputs?(batch: HostImages, itemShape: readonly number[]): HostImages
  /** Called after each optimiser step with the batch's (no-dropout) logits, outside the tape. */
  afterStep?(logits: Float32Array, batch: Omit<MethodBatch, 'oneHot'>): void
  /** State beyond the variables, for checkpoints (e.g. PS-KD's stored predictions). */
  saveState?(): MethodState
  loadState?(state: MethodState): void
  /** Frees the method's own tensors (its variables). */
  dispose?(): void
}
