import { OptionError } from '@sd-dropout/sdk'

/** How the learning rate changes over training, after an optional linear warm-up. */
export type ScheduleSpec =
  | { readonly kind: 'constant' }
  /** Multiply by `gamma` at each milestone epoch (PyTorch `MultiStepLR`, stepped per epoch). */
  | { readonly kind: 'multistep'; readonly milestones: readonly number[]; readonly gamma: number }
  /** Cosine annealing from the base rate to `minimum` over the steps after warm-up (Loshchilov & Hutter 2017, no restarts). */
  | { readonly kind: 'cosine'; readonly minimum: number }

/** The schedule names the CLI accepts. */
export const SCHEDULE_NAMES = ['constant', 'multistep', 'cosine'] as const

/** Where in training a step sits. */
export interface ScheduleClock {
  /** Global step, 0-based. */
  readonly step: number
  readonly stepsPerEpoch: number
  readonly epochs: number
}

/**
 * The learning rate of a step. Warm-up: lr * (step + 1) / warmupSteps for the first
 * `warmupEpochs * stepsPerEpoch` steps. Then: constant; multistep: lr * gamma^(milestones passed,
 * by epoch); cosine: min + (lr - min) (1 + cos(pi * t / T)) / 2 with t, T counted after warm-up.
 *
 * @throws {OptionError} for a negative warm-up or a non-positive base rate.
 * @example
 * ```ts
 * learningRateAt(0.1, { kind: 'multistep', milestones: [10], gamma: 0.1 }, 0, { step: 600, stepsPerEpoch: 55, epochs: 15 }) // 0.01
 * ```
 */
export function learningRateAt(baseRate: number, schedule: ScheduleSpec, warmupEpochs: number, clock: ScheduleClock): number {
  if (!(baseRate > 0)) throw new OptionError('--lr', `must be > 0, got ${baseRate}`)
  if (!(warmupEpochs >= 0)) throw new OptionError('--warmup-epochs', `must be >= 0, got ${warmupEpochs}`)
  const { step, stepsPerEpoch, epochs } = clock
  const warmupSteps = Math.round(warmupEpochs * stepsPerEpoch)
  if (step < warmupSteps) return (baseRate * (step + 1)) / warmupSteps
  switch (schedule.kind) {
    case 'constant':
      return baseRate
    case 'multistep': {
      const epoch = Math.floor(step / stepsPerEpoch)
      const passed = schedule.milestones.filter((milestone) => epoch >= milestone).length
      return baseRate * schedule.gamma ** passed
    }
    case 'cosine': {
      const total = Math.max(1, epochs * stepsPerEpoch - warmupSteps)
      const t = Math.min(step - warmupSteps, total)
      return schedule.minimum + ((baseRate - schedule.minimum) * (1 + Math.cos((Math.PI * t) / total))) / 2
    }
  }
}
