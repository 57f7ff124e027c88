import * as tf from '@tensorflow/tfjs-core'
import { FormatError, OptionError, type JsonValue } from '@sd-dropout/sdk'
import type { CheckpointContents } from './checkpoint-file.js'
import type { TrainConfig } from './train-config.js'
import type { TrainingSession } from './training-session.js'

/** One finished epoch, as recorded in the history (checkpoints, provenance). */
export interface EpochRecord {
  readonly epoch: number
  readonly learningRate: number
  /** Mean training loss and its terms over the epoch. */
  readonly loss: number
  readonly terms: Readonly<Record<string, number>>
  /** Training accuracy of the no-dropout logits, during the epoch. */
  readonly accuracy: number
  readonly validationAccuracy: number | null
  readonly validationNll: number | null
  readonly seconds: number
  readonly samplesPerSecond: number
}

/** Running sums of a partially finished epoch. */
export interface RunningTotals {
  lossSum: number
  termSums: Record<string, number>
  correct: number
  seen: number
  seconds: number
}

/** Where a run stands: what the loop needs to continue exactly. */
export interface LoopPosition {
  /** Epochs fully done. */
  readonly epoch: number
  /** Steps done within the current epoch (0 at an epoch boundary). */
  readonly stepInEpoch: number
  /** Global steps done. */
  readonly step: number
  readonly running: RunningTotals
  readonly history: readonly EpochRecord[]
}

interface CheckpointState {
  readonly version: 1
  readonly config: TrainConfig
  readonly position: LoopPosition
  readonly optimizerIterations: number
  readonly method: JsonValue
}

/**
 * Captures everything `--resume` needs: the config, every backbone weight (batch-norm statistics
 * included), the head, the method's own variables (`method/<name>`, e.g. FRSKD's self-teacher),
 * the optimiser's slots and step count, the method's state (`method-state/<name>`, e.g. PS-KD's
 * stored predictions), the loop
 * position (epoch, step, partial-epoch totals) and the history. RNG state is the run seed plus the
 * step: every random stream is counter-based.
 *
 * @example
 * ```ts
 * await saveCheckpointFile(path, captureCheckpoint(session, position))
 * ```
 */
export function captureCheckpoint(session: TrainingSession, position: LoopPosition): CheckpointContents {
  const tensors: Record<string, Float32Array> = {}
  for (const weight of session.backbone.model.weights) tensors[`backbone/${weight.originalName}`] = weight.read().dataSync() as Float32Array
  tensors['head/weight'] = session.head.weight.dataSync() as Float32Array
  tensors['head/bias'] = session.head.bias.dataSync() as Float32Array
  for (const { name, variable } of methodVariables(session)) tensors[name] = variable.dataSync() as Float32Array
  const optimizer = session.optimizer.state()
  for (const [slot, values] of Object.entries(optimizer.slots)) tensors[`optimizer/${slot}`] = values
  const methodState = session.method.saveState?.()
  for (const [name, values] of Object.entries(methodState?.tensors ?? {})) tensors[`${METHOD_STATE}${name}`] = values
  const state: CheckpointState = { version: 1, config: session.config, position, optimizerIterations: optimizer.iterations, method: methodState?.json ?? null }
  return { state: state as unknown as JsonValue, tensors }
}

/**
 * The config stored in a checkpoint (to build the session it restores into).
 *
 * @throws {FormatError} when the checkpoint holds no config of version 1.
 * @example
 * ```ts
 * const session = createTrainingSession(checkpointConfig(contents), [28, 28, 1], 10)
 * ```
 */
export function checkpointConfig(contents: CheckpointContents): TrainConfig {
  const state = contents.state as unknown as Partial<CheckpointState> | null
  if (state?.version !== 1 || state.config === undefined || state.position === undefined) throw new FormatError('checkpoint', 'holds no version-1 training state')
  return state.config
}

/**
 * Restores a checkpoint into a session built from the same config, returning the loop position.
 *
 * @throws {OptionError} when a weight or slot is missing or has the wrong size (a different model).
 * @example
 * ```ts
 * const position = restoreCheckpoint(session, contents)
 * ```
 */
export function restoreCheckpoint(session: TrainingSession, contents: CheckpointContents): LoopPosition {
  const state = contents.state as unknown as CheckpointState
  const take = (name: string, size: number): Float32Array => {
    const values = contents.tensors[name]
    if (values === undefined || values.length !== size) throw new OptionError('--resume', `the checkpoint has no ${name} of ${size} values (was it written for another model?)`)
    return values
  }
  tf.tidy(() => {
    for (const weight of session.backbone.model.weights) {
      const current = weight.read()
      weight.write(tf.tensor(take(`backbone/${weight.originalName}`, current.size), current.shape))
    }
    session.head.weight.assign(tf.tensor(take('head/weight', session.head.weight.size), session.head.weight.shape))
    session.head.bias.assign(tf.tensor(take('head/bias', session.head.bias.size), session.head.bias.shape))
    for (const { name, variable } of methodVariables(session)) variable.assign(tf.tensor(take(name, variable.size), variable.shape))
  })
  const slots: Record<string, Float32Array> = {}
  for (const [name, values] of Object.entries(contents.tensors)) if (name.startsWith('optimizer/')) slots[name.slice('optimizer/'.length)] = values
  session.optimizer.load({ iterations: state.optimizerIterations, slots })
  if (session.method.loadState !== undefined) {
    const tensors: Record<string, Float32Array> = {}
    for (const [name, values] of Object.entries(contents.tensors)) if (name.startsWith(METHOD_STATE)) tensors[name.slice(METHOD_STATE.length)] = values
    session.method.loadState({ json: state.method, tensors })
  }
  return state.position
}

/** Prefix of a method's saved state tensors (its variables are saved under their session names, `method/...`). */
const METHOD_STATE = 'method-state/'

function methodVariables(session: TrainingSession): readonly { readonly name: string; readonly variable: tf.Variable }[] {
  return session.variables.filter(({ name }) => name.startsWith('method/'))
}
