import { assertCalibrationObjective } from '../calibration/calibration-objective.js'
import { OptionError } from '../errors.js'
import { assertDropoutRate } from '../masks/dropout-mask.js'
import type { ClassesOption, FineTuneOptions, ResolvedFineTuneOptions } from './fine-tune-options.js'

const KNOWN: readonly (keyof FineTuneOptions)[] = [
  'epochs',
  'learningRate',
  'optimizer',
  'momentum',
  'weightDecay',
  'batchSize',
  'dropoutRate',
  'temperature',
  'lambda',
  'detach',
  'seed',
  'folds',
  'validationFraction',
  'calibrationObjective',
  'classes',
  'kernel',
  'signal',
  'onProgress',
  'name',
  'id',
  'dataName',
  'targetAcceptance',
  'targetRisk',
]

/** What the parent model supplies as defaults. */
export interface FineTuneDefaults {
  readonly name: string
  readonly dropoutRate: number
  readonly targetAcceptance: number
  readonly targetRisk: number
}

/**
 * Validates `model.fineTune` options once, at the boundary, and applies the defaults (see
 * {@link FineTuneOptions}).
 *
 * @throws {OptionError} naming the option for an unknown key, a wrong type or a value out of range.
 * @example
 * ```ts
 * resolveFineTuneOptions({ epochs: 5, optimizer: 'sgd' }, { name: 'digits', dropoutRate: 0.5, targetAcceptance: 0.95, targetRisk: 0.01 }).learningRate // 0.1
 * ```
 */
export function resolveFineTuneOptions(options: FineTuneOptions = {}, defaults: FineTuneDefaults): ResolvedFineTuneOptions {
  if (typeof options !== 'object' || options === null) throw new OptionError('options', `must be an object, got ${String(options)}`)
  for (const key of Object.keys(options)) if (!(KNOWN as readonly string[]).includes(key)) throw new OptionError(key, `unknown option (known: ${KNOWN.join(', ')})`)
  const optimizer = options.optimizer ?? 'adam'
  if (optimizer !== 'adam' && optimizer !== 'sgd') throw new OptionError('optimizer', `must be adam or sgd, got ${String(optimizer)}`)
  if (optimizer === 'adam' && options.momentum !== undefined) throw new OptionError('momentum', 'applies to optimizer sgd only (Adam has its own moments)')
  const dropoutRate = options.dropoutRate ?? defaults.dropoutRate
  assertDropoutRate(dropoutRate)
  const kernel = options.kernel ?? 'auto'
  if (!['auto', 'wasm-simd', 'typescript'].includes(kernel)) throw new OptionError('kernel', `must be auto, wasm-simd or typescript, got ${String(kernel)}`)
  if (options.detach !== undefined && typeof options.detach !== 'boolean') throw new OptionError('detach', `must be a boolean, got ${String(options.detach)}`)
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new OptionError('signal', 'must be an AbortSignal')
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new OptionError('onProgress', 'must be a function')
  const name = options.name ?? `${defaults.name}-ft`.slice(0, 128)
  if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9._-]*$/.test(name) || name.length > 128) throw new OptionError('name', `must match [a-z0-9][a-z0-9._-]* (at most 128 characters), got ${String(name)}`)
  return {
    epochs: integer('epochs', options.epochs ?? 40, 1, 100_000),
    learningRate: number('learningRate', options.learningRate ?? (optimizer === 'adam' ? 0.01 : 0.1), (v) => v > 0, 'a finite number > 0'),
    optimizer,
    momentum: optimizer === 'sgd' ? number('momentum', options.momentum ?? 0.9, (v) => v >= 0 && v < 1, 'in [0, 1)') : 0,
    weightDecay: number('weightDecay', options.weightDecay ?? 1e-4, (v) => v >= 0, 'a finite number >= 0'),
    batchSize: integer('batchSize', options.batchSize ?? 32, 1, 65_536),
    dropoutRate,
    temperature: number('temperature', options.temperature ?? 1, (v) => v > 0, 'a finite number > 0'),
    lambda: number('lambda', options.lambda ?? 1, (v) => v >= 0, 'a finite number >= 0'),
    detach: options.detach ?? false,
    seed: integer('seed', options.seed ?? 0, 0, 0xffffffff),
    folds: number('folds', options.folds ?? 5, (v) => v === 0 || (Number.isInteger(v) && v >= 2 && v <= 20), '0 or an integer from 2 to 20'),
    validationFraction: number('validationFraction', options.validationFraction ?? 0.2, (v) => v > 0 && v < 1, 'in (0, 1)'),
    calibrationObjective: assertCalibrationObjective('calibrationObjective', options.calibrationObjective ?? 'brier'),
    classes: classesOption(options.classes ?? { mode: 'keep' }),
    kernel,
    signal: options.signal ?? null,
    onProgress: options.onProgress ?? null,
    name,
    id: options.id === undefined ? null : text('id', options.id, 256),
    dataName: options.dataName === undefined ? 'fine-tune data' : text('dataName', options.dataName, 1024),
    targetAcceptance: number('targetAcceptance', options.targetAcceptance ?? defaults.targetAcceptance, (v) => v > 0 && v <= 1, 'in (0, 1]'),
    targetRisk: number('targetRisk', options.targetRisk ?? defaults.targetRisk, (v) => v >= 0 && v <= 1, 'in [0, 1]'),
  }
}

function classesOption(value: ClassesOption): ClassesOption {
  if (typeof value !== 'object' || value === null) throw new OptionError('classes', 'must be { mode: keep } or { mode: extend | replace, labels: [...] }')
  const keys = Object.keys(value)
  if (value.mode === 'keep') {
    if (keys.some((k) => k !== 'mode')) throw new OptionError('classes', 'mode keep takes no other fields')
    return { mode: 'keep' }
  }
  if (value.mode !== 'extend' && value.mode !== 'replace') throw new OptionError('classes', `mode must be keep, extend or replace, got ${String((value as { mode: unknown }).mode)}`)
  if (keys.some((k) => k !== 'mode' && k !== 'labels')) throw new OptionError('classes', `mode ${value.mode} takes mode and labels only`)
  const labels: unknown = value.labels
  if (!Array.isArray(labels) || labels.length === 0) throw new OptionError('classes', `mode ${value.mode} needs a non-empty labels array`)
  for (const label of labels) if (typeof label !== 'string' || label.length === 0) throw new OptionError('classes', `labels must be non-empty strings, got ${JSON.stringify(label)}`)
  if (new Set(labels).size !== labels.length) throw new OptionError('classes', 'labels must be distinct')
  if (value.mode === 'replace' && labels.length < 2) throw new OptionError('classes', 'mode replace needs at least 2 labels')
  return { mode: value.mode, labels: [...(labels as string[])] }
}

function number(option: string, value: unknown, valid: (v: number) => boolean, wanted: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) throw new OptionError(option, `must be ${wanted}, got ${String(value)}`)
  return value
}

function integer(option: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw new OptionError(option, `must be an integer in [${min}, ${max}], got ${String(value)}`)
  return value
}

function text(option: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) throw new OptionError(option, `must be a non-empty string of at most ${maxLength} characters`)
  return value
}
