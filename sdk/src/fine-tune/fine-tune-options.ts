import type { CalibrationObjective } from '../calibration/calibration-objective.js'
import type { HeadGradientKernelPreference } from './head-gradient-kernel-provider.js'
import type { OptimizerName } from './optimizer.js'

/**
 * What happens to the label set: `keep` it (C unchanged), `extend` it by new labels appended after
 * the model's (C grows), or `replace` it by a new list (labels the model already has keep their head
 * column, the others are new). New classes need training examples: their head rows start from the
 * class means of their features (see `initialHead`).
 */
export type ClassesOption =
  | { readonly mode: 'keep' }
  | { readonly mode: 'extend'; readonly labels: readonly string[] }
  | { readonly mode: 'replace'; readonly labels: readonly string[] }

/** Reported after every optimiser step: the batch just used, measured before the update. */
export interface FineTuneStepEvent {
  readonly type: 'step'
  /** 0-based epoch and the global 0-based step. */
  readonly epoch: number
  readonly step: number
  readonly epochs: number
  readonly stepsPerEpoch: number
  /** Total SD-Dropout loss of the batch, nats. */
  readonly loss: number
  /** Fraction of the batch argmax z0 got right, in [0, 1]. */
  readonly accuracy: number
}

/** Reported after every epoch: means over the epoch's training examples (each measured before its step's update). */
export interface FineTuneEpochEvent {
  readonly type: 'epoch'
  readonly epoch: number
  readonly epochs: number
  readonly loss: number
  readonly crossEntropy: number
  /** tau^2 (KL(q1 || q2) + KL(q2 || q1)), before lambda; 0 when lambda = 0. */
  readonly distillation: number
  readonly accuracy: number
}

/** A progress event (discriminated by `type`). */
export type FineTuneProgress = FineTuneStepEvent | FineTuneEpochEvent

/** Options of `model.fineTune`; every one optional, unknown keys refused. */
export interface FineTuneOptions {
  /** Passes over the training examples (default 40). */
  readonly epochs?: number
  /** Step size (default 0.01 for Adam, 0.1 for SGD). */
  readonly learningRate?: number
  /** `adam` (default) or `sgd` (with momentum). */
  readonly optimizer?: OptimizerName
  /** SGD momentum in [0, 1) (default 0.9); refused with Adam. */
  readonly momentum?: number
  /** L2 weight decay >= 0 on W and b (default 1e-4, the official SD-Dropout value). */
  readonly weightDecay?: number
  /** Examples per step (default 32). */
  readonly batchSize?: number
  /** Drop probability p of the two dropout branches, in [0, 1) (default: the bundle's head dropout rate). */
  readonly dropoutRate?: number
  /** tau, the distillation temperature (default 1; see docs/sdk.md "Fine-tuning at the edge"). */
  readonly temperature?: number
  /** Weight of the symmetric KL term (default 1: it is what keeps the served MC-dropout mean calibratable; measured on shifted MNIST, docs/results/edge-training.md, 0.1 left served ECE at 7-21%); 0 = plain cross-entropy head fine-tuning. */
  readonly lambda?: number
  /** Detach each KL term's target side (default false: gradients through both sides, as the official code). */
  readonly detach?: boolean
  /** Unsigned 32-bit seed of the split, the shuffles and the dropout masks (default 0). */
  readonly seed?: number
  /**
   * Cross-fitting folds for re-calibration, an integer 2..20 (default 5): every example trains the
   * deployed head, and T_cal, the OOD thresholds, the selective threshold and the reported metrics
   * come from out-of-fold predictions of `folds` extra heads, each trained without one fold
   * (stratified by class). 0 = hold out `validationFraction` of each class instead; the deployed
   * head then never sees those examples.
   */
  readonly folds?: number
  /** With `folds: 0`: the fraction of each class held out for re-calibration and metrics, in (0, 1) (default 0.2). */
  readonly validationFraction?: number
  /**
   * What T_cal minimises on the out-of-fold (or held-out) predictions: `brier` (default) or `nll`
   * (see {@link CalibrationObjective}). Measured on rotated MNIST over 10 seeds, served ECE 2.7%
   * by Brier against 3.7% by NLL (docs/results/edge-training.md); the Brier T is sharper, so with
   * `samples: 0` served, prefer `nll`.
   */
  readonly calibrationObjective?: CalibrationObjective
  /** Keep, extend or replace the label set (default keep). */
  readonly classes?: ClassesOption
  /** Gradient kernel: `auto` (default: wasm SIMD where the platform provides it, else TypeScript) or one by name. */
  readonly kernel?: HeadGradientKernelPreference
  /** Aborts the run: it rejects with an AbortedError and produces nothing. */
  readonly signal?: AbortSignal
  /** Called after every step and every epoch. */
  readonly onProgress?: (event: FineTuneProgress) => void
  /** Name of the new bundle, `[a-z0-9][a-z0-9._-]*` (default: the parent's name + `-ft`). */
  readonly name?: string
  /** Id of the new bundle (default: name, UTC time and 8 random hex digits). */
  readonly id?: string
  /** Description of the data for the provenance (default `fine-tune data`). */
  readonly dataName?: string
  /** Fraction of held-out items each OOD threshold accepts (default: the parent's). */
  readonly targetAcceptance?: number
  /** Target risk of the selective threshold (default: the parent's, else 0.01). */
  readonly targetRisk?: number
}

/** {@link FineTuneOptions} with every default applied (as recorded in the provenance). */
export interface ResolvedFineTuneOptions {
  readonly epochs: number
  readonly learningRate: number
  readonly optimizer: OptimizerName
  readonly momentum: number
  readonly weightDecay: number
  readonly batchSize: number
  readonly dropoutRate: number
  readonly temperature: number
  readonly lambda: number
  readonly detach: boolean
  readonly seed: number
  readonly folds: number
  readonly validationFraction: number
  readonly calibrationObjective: CalibrationObjective
  readonly classes: ClassesOption
  readonly kernel: HeadGradientKernelPreference
  readonly signal: AbortSignal | null
  readonly onProgress: ((event: FineTuneProgress) => void) | null
  readonly name: string
  readonly id: string | null
  readonly dataName: string
  readonly targetAcceptance: number
  readonly targetRisk: number
}
