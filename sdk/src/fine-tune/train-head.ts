import { AbortedError, DivergenceError } from '../errors.js'
import { deriveSeed } from '../masks/dropout-mask.js'
import type { FineTuneProgress } from './fine-tune-options.js'
import type { HeadGradientKernel, SdDropoutLossSettings } from './head-gradient-kernel.js'
import { createOptimizer, type OptimizerSettings } from './optimizer.js'
import { SHUFFLE_STREAM, seededPermutation } from './seeded-order.js'

/** Training settings of {@link trainHead}. */
export interface HeadTrainingSettings extends OptimizerSettings {
  readonly epochs: number
  readonly batchSize: number
  /** The loss settings except the mask seed, which is `deriveSeed(seed, epoch)`. */
  readonly loss: Omit<SdDropoutLossSettings, 'maskSeed'>
  /** Seed of the shuffles and masks. */
  readonly seed: number
}

/** What {@link trainHead} trains on. */
export interface HeadTrainingInput {
  /** h of every example, N x D (finite: checked by the caller). */
  readonly features: Float32Array
  /** Class of every example, N values in [0, C). */
  readonly labels: Int32Array
  /** The examples to train on (indices into features / labels; also the mask keys). */
  readonly train: Int32Array
  readonly featureDim: number
  readonly classes: number
  /** The starting head W [D, C] and b [C] (not modified). */
  readonly weight: Float32Array
  readonly bias: Float32Array
  readonly settings: HeadTrainingSettings
  readonly kernel: HeadGradientKernel
  readonly signal?: AbortSignal | null
  readonly onProgress?: ((event: FineTuneProgress) => void) | null
}

/** One epoch of the training history: means over its examples, each measured before its step's update. */
export interface EpochRecord {
  readonly epoch: number
  readonly loss: number
  readonly crossEntropy: number
  readonly distillation: number
  readonly accuracy: number
}

/** The trained head and its history. */
export interface HeadTrainingResult {
  readonly weight: Float32Array
  readonly bias: Float32Array
  readonly history: readonly EpochRecord[]
}

/** How long the loop computes before it lets the event loop run (so an abort can arrive), ms. */
const YIELD_EVERY_MS = 50
/** Also yield every this many steps: clocks do not advance during CPU work in workerd, so time alone never triggers there. */
const YIELD_EVERY_STEPS = 64

/**
 * Trains a linear head on frozen features with the SD-Dropout loss: per epoch a seeded shuffle of
 * the training examples (`seededPermutation(train, seed, SHUFFLE_STREAM, epoch)`), batches of
 * `batchSize`, one gradient step each through the kernel (masks keyed by (epoch, example):
 * maskSeed = deriveSeed(seed, epoch), sample 2 e and 2 e + 1) and one optimiser update. A run is
 * reproducible, and an example's masks do not depend on the batch it lands in.
 *
 * With a `signal`, the loop checks it before every step and lets the event loop run every 50 ms.
 *
 * @throws {AbortedError} when aborted, the signal's reason as `cause`; {DivergenceError} when the loss becomes non-finite.
 * @example
 * ```ts
 * const { weight, bias, history } = await trainHead({ features, labels, train, featureDim: 128, classes: 10, weight: w0, bias: b0, settings, kernel })
 * ```
 */
export async function trainHead(input: HeadTrainingInput): Promise<HeadTrainingResult> {
  const { settings, train, signal = null, onProgress = null } = input
  const weight = input.weight.slice()
  const bias = input.bias.slice()
  const optimizer = createOptimizer(settings, [weight.length, bias.length])
  const workspace = input.kernel.prepare({ featureDim: input.featureDim, classes: input.classes, maxBatch: Math.min(settings.batchSize, train.length) })
  const stepsPerEpoch = Math.ceil(train.length / settings.batchSize)
  const history: EpochRecord[] = []
  let lastYield = Date.now()
  let stepsSinceYield = 0
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch++) {
      const order = seededPermutation(train, settings.seed, SHUFFLE_STREAM, epoch)
      const loss: SdDropoutLossSettings = { ...settings.loss, maskSeed: deriveSeed(settings.seed, epoch) }
      const sums = { loss: 0, crossEntropy: 0, distillation: 0, correct: 0 }
      for (let k = 0; k < stepsPerEpoch; k++) {
        if (signal !== null) {
          if (++stepsSinceYield >= YIELD_EVERY_STEPS || Date.now() - lastYield >= YIELD_EVERY_MS) {
            await new Promise((resolve) => setTimeout(resolve, 0))
            lastYield = Date.now()
            stepsSinceYield = 0
          }
          assertNotAborted(signal)
        }
        const examples = order.subarray(k * settings.batchSize, (k + 1) * settings.batchSize)
        const step = workspace.gradient({ weight, bias, features: input.features, labels: input.labels, examples, loss })
        if (!Number.isFinite(step.loss)) {
          throw new DivergenceError(`fine-tuning diverged: the loss is ${step.loss} at epoch ${epoch}, step ${k}; lower the learning rate`, { epoch, step: k, loss: String(step.loss) })
        }
        optimizer.step([weight, bias], [step.weightGradient, step.biasGradient])
        const items = examples.length
        sums.loss += step.loss * items
        sums.crossEntropy += step.crossEntropy * items
        sums.distillation += step.distillation * items
        sums.correct += step.correct
        onProgress?.({ type: 'step', epoch, step: epoch * stepsPerEpoch + k, epochs: settings.epochs, stepsPerEpoch, loss: step.loss, accuracy: step.correct / items })
      }
      const n = train.length
      const record = { epoch, loss: sums.loss / n, crossEntropy: sums.crossEntropy / n, distillation: sums.distillation / n, accuracy: sums.correct / n }
      history.push(record)
      onProgress?.({ type: 'epoch', epochs: settings.epochs, ...record })
    }
  } finally {
    workspace.dispose()
  }
  if (signal !== null) assertNotAborted(signal)
  return { weight, bias, history }
}

/**
 * Throws the typed error of an aborted fine-tuning run.
 *
 * @throws {AbortedError} when `signal` is aborted, its reason as `cause`.
 * @example
 * ```ts
 * assertNotAborted(controller.signal)
 * ```
 */
export function assertNotAborted(signal: AbortSignal | null): void {
  if (signal === null || !signal.aborted) return
  const reason: unknown = signal.reason
  const text = reason instanceof Error ? reason.message : String(reason)
  throw new AbortedError(`fine-tuning was aborted (${text}); nothing was produced`, {}, { cause: reason })
}
