import { AUGMENTATION_NAMES, type AugmentationName } from '../data/augment.js'
import type { PeerOptions } from '../methods/method-registry.js'
import type { SdDropoutOptions } from '../methods/sd-dropout/sd-dropout-loss.js'
import type { ModelSpec } from '../models/model-spec.js'
import type { ScheduleSpec } from './learning-rate-schedule.js'
import type { OptimizerSpec } from './optimizer.js'

/** The on-the-fly augmentation of a run (`none`, `shift`, `crop`, `flip`, `crop-flip`; see `data/augment.ts`). */
export type AugmentName = AugmentationName

/** The augmentation names a run accepts (the CLI adds `auto`: chosen by the data). */
export const AUGMENT_NAMES = AUGMENTATION_NAMES

/**
 * Every setting of a training run, resolved (defaults applied). Plain JSON: it is stored in every
 * checkpoint (so `--resume` continues the same run) and in the bundle's provenance.
 */
export interface TrainConfig {
  readonly model: ModelSpec
  /** `--method` as given, e.g. `sd-dropout`. */
  readonly method: string
  /** SD-Dropout settings (used when the method includes `sd-dropout`). */
  readonly sd: SdDropoutOptions
  /**
   * Options of the self-KD peers (used when the method is `ps-kd`, `frskd` or `lsskd`); missing
   * entries (e.g. in checkpoints written before the peers existed) take their defaults.
   */
  readonly peers?: { readonly [K in keyof PeerOptions]?: Partial<PeerOptions[K]> }
  readonly epochs: number
  readonly batchSize: number
  /** Run seed: weights, shuffling, masks and augmentation derive from it. */
  readonly seed: number
  readonly optimizer: OptimizerSpec
  /** Base learning rate. */
  readonly learningRate: number
  readonly schedule: ScheduleSpec
  readonly warmupEpochs: number
  readonly augment: AugmentName
  /**
   * Identity of the training split (set by `sd-dropout train`: the SHA-256 of its float32 inputs and
   * int32 labels, and its size); `--resume` refuses a checkpoint made on other data. Absent in
   * checkpoints written before it existed.
   */
  readonly data?: { readonly sha256: string; readonly items: number }
}

/** Sub-streams of the run seed (`deriveSeed(seed, stream)`); masks use `MASK_STREAM` = 2. */
export const SEED_STREAMS = { weights: 0, shuffle: 1, masks: 2, augment: 3, head: 4, methodWeights: 5 } as const
