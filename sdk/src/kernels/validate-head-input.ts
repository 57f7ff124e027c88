import { InputError, OptionError, ShapeError } from '../errors.js'
import { assertDropoutRate } from '../masks/dropout-mask.js'
import { assertTemperature } from '../math/temperature.js'
import type { HeadRunInput, HeadWeights } from './head-kernel.js'

/**
 * Checks a linear head before a kernel copies it: D and C positive integers, `weight` D x C and
 * `bias` C values, all finite. Shared by every {@link HeadKernel} so they reject the same inputs.
 *
 * @throws {ShapeError} for a wrong dimension or length.
 * @throws {InputError} for a NaN or infinite weight or bias.
 * @example
 * ```ts
 * assertHeadWeights({ weight: new Float32Array(6), bias: new Float32Array(3), featureDim: 2, classes: 3 }) // ok
 * ```
 */
export function assertHeadWeights(weights: HeadWeights): void {
  const { featureDim, classes } = weights
  if (!isPositiveInteger(featureDim) || !isPositiveInteger(classes)) {
    throw new ShapeError('head', 'featureDim and classes positive integers', `${featureDim} x ${classes}`)
  }
  if (weights.weight.length !== featureDim * classes) {
    throw new ShapeError('head weight', `${featureDim * classes} values (D x C = ${featureDim} x ${classes})`, `${weights.weight.length} values`)
  }
  if (weights.bias.length !== classes) throw new ShapeError('head bias', `${classes} values (C)`, `${weights.bias.length} values`)
  assertFinite(weights.weight, 'head weight')
  assertFinite(weights.bias, 'head bias')
}

/**
 * Checks one batch for a head of D features: lengths, a non-empty batch, finite features, and the
 * options (S integer >= 0, seed unsigned 32-bit integer, p in [0, 1), T_cal finite > 0).
 *
 * @throws {ShapeError} when `batch` is not an integer >= 0 or `features.length !== batch * D`.
 * @throws {InputError} for an empty batch or a non-finite feature.
 * @throws {OptionError} (`samples`, `seed`, `dropoutRate`, `temperature`) for an option out of range.
 * @example
 * ```ts
 * assertHeadRunInput({ features: new Float32Array(4), batch: 2, dropoutRate: 0.5, samples: 8, seed: 0, temperature: 1 }, 2)
 * ```
 */
export function assertHeadRunInput(input: HeadRunInput, featureDim: number): void {
  const { batch, samples, seed } = input
  if (!Number.isInteger(batch) || batch < 0) throw new ShapeError('batch', 'an integer >= 0', String(batch))
  if (input.features.length !== batch * featureDim) {
    throw new ShapeError('features', `${batch * featureDim} values (B x D = ${batch} x ${featureDim})`, `${input.features.length} values`)
  }
  if (batch === 0) throw new InputError('empty batch: the head needs at least one item')
  if (!Number.isInteger(samples) || samples < 0) throw new OptionError('samples', `must be an integer >= 0, got ${samples}`)
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new OptionError('seed', `must be an unsigned 32-bit integer, got ${seed}`)
  assertDropoutRate(input.dropoutRate)
  assertTemperature(input.temperature)
  assertFinite(input.features, 'features')
}

function isPositiveInteger(value: number): boolean {
  return Number.isInteger(value) && value > 0
}

/** One branch-free pass (x * 0 is NaN exactly for NaN and +-Infinity), then a second one to name the culprit. */
function assertFinite(values: Float32Array, what: string): void {
  let probe = 0
  for (let j = 0; j < values.length; j++) probe += (values[j] as number) * 0
  if (probe === 0) return
  const index = values.findIndex((value) => !Number.isFinite(value))
  throw new InputError(`${what}: value ${index} is ${values[index]}; expected finite numbers`, { what, index })
}
