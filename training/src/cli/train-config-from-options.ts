import { OptionError } from '@sd-dropout/sdk'
import { defaultSdWeight, parseMethod, type BaseMethodName } from '../methods/method-registry.js'
import type { ScheduleSpec } from '../loop/learning-rate-schedule.js'
import type { OptimizerSpec } from '../loop/optimizer.js'
import type { AugmentName, TrainConfig } from '../loop/train-config.js'
import { defaultModelSpec, type ArchitectureName, type ModelSpec } from '../models/model-spec.js'
import type { OptionValues } from './option-spec.js'

/** The flags that define a run's hyper-parameters (they cannot change on `--resume`, except `epochs`). */
export const HYPER_PARAMETER_FLAGS = [
  'model', 'width', 'depth', 'hidden', 'method', 'sd-rate', 'sd-temperature', 'sd-weight', 'sd-detach', 'sd-samples', 'batch-size', 'seed',
  'ps-kd-alpha', 'frskd-alpha', 'frskd-beta', 'frskd-temperature', 'frskd-width', 'frskd-depth', 'lsskd-temperature', 'lsskd-kl-weight', 'lsskd-feature-weight',
  'optimizer', 'lr', 'momentum', 'weight-decay', 'schedule', 'milestones', 'gamma', 'min-lr', 'warmup-epochs', 'augment',
] as const

/**
 * Resolves parsed `train` flags into a {@link TrainConfig}, applying the defaults that depend on
 * other flags (lambda by method, milestones at 50% / 75% of the epochs, width by architecture); only
 * the chosen self-KD peer's options are recorded.
 *
 * @throws {OptionError} for an unknown method, bad milestones or hidden sizes.
 * @example
 * ```ts
 * const config = trainConfigFromOptions(parseOptions('train', TRAIN_OPTIONS, argv).values)
 * ```
 */
export function trainConfigFromOptions(values: OptionValues): TrainConfig {
  const method = values.method as string
  const spec = parseMethod(method)
  const epochs = values.epochs as number
  return {
    model: modelSpec(values),
    method,
    sd: {
      rate: values['sd-rate'] as number,
      temperature: values['sd-temperature'] as number,
      weight: (values['sd-weight'] as number | undefined) ?? defaultSdWeight(spec),
      detach: values['sd-detach'] as boolean,
      samples: values['sd-samples'] as number,
    },
    ...peerOptions(values, spec.base),
    epochs,
    batchSize: values['batch-size'] as number,
    seed: values.seed as number,
    optimizer: optimizerSpec(values),
    learningRate: values.lr as number,
    schedule: scheduleSpec(values, epochs),
    warmupEpochs: values['warmup-epochs'] as number,
    augment: values.augment as AugmentName,
  }
}

/** The options of the run's peer method only (none for `ce`), so provenance lists what was used. */
function peerOptions(values: OptionValues, base: BaseMethodName): Pick<TrainConfig, 'peers'> {
  switch (base) {
    case 'ps-kd':
      return { peers: { psKd: { alpha: values['ps-kd-alpha'] as number } } }
    case 'frskd':
      return {
        peers: {
          frskd: {
            alpha: values['frskd-alpha'] as number,
            beta: values['frskd-beta'] as number,
            temperature: values['frskd-temperature'] as number,
            width: values['frskd-width'] as number,
            depth: values['frskd-depth'] as number,
          },
        },
      }
    case 'lsskd':
      return { peers: { lsskd: { temperature: values['lsskd-temperature'] as number, klWeight: values['lsskd-kl-weight'] as number, featureWeight: values['lsskd-feature-weight'] as number } } }
    case 'ce':
      return {}
  }
}

function modelSpec(values: OptionValues): ModelSpec {
  const architecture = values.model as ArchitectureName
  const base = defaultModelSpec(architecture)
  const width = values.width as number | undefined
  switch (base.architecture) {
    case 'mlp': {
      const hidden = (values.hidden as readonly string[]).map(Number)
      if (hidden.length === 0 || hidden.some((units) => !Number.isInteger(units) || units < 1)) throw new OptionError('--hidden', `must be positive integers, got ${(values.hidden as string[]).join(',')}`)
      return { architecture: 'mlp', hidden }
    }
    case 'cnn':
      return { architecture: 'cnn', width: width ?? base.width }
    case 'resnet': {
      const depth = values.depth as number
      if ((depth - 2) % 6 !== 0) throw new OptionError('--depth', `must be 6n + 2 (8, 14, 20, ...), got ${depth}`)
      return { architecture: 'resnet', depth, width: width ?? base.width }
    }
  }
}

function optimizerSpec(values: OptionValues): OptimizerSpec {
  const weightDecay = values['weight-decay'] as number
  return values.optimizer === 'sgd'
    ? { kind: 'sgd', momentum: values.momentum as number, weightDecay }
    : { kind: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay }
}

function scheduleSpec(values: OptionValues, epochs: number): ScheduleSpec {
  switch (values.schedule) {
    case 'multistep': {
      const given = values.milestones as readonly string[] | undefined
      const milestones = given === undefined ? [Math.round(epochs * 0.5), Math.round(epochs * 0.75)] : given.map(Number)
      if (milestones.some((m) => !Number.isInteger(m) || m < 1)) throw new OptionError('--milestones', `must be positive integer epochs, got ${given?.join(',')}`)
      return { kind: 'multistep', milestones, gamma: values.gamma as number }
    }
    case 'cosine':
      return { kind: 'cosine', minimum: values['min-lr'] as number }
    default:
      return { kind: 'constant' }
  }
}
