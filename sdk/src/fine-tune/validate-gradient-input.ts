import { InputError, OptionError, ShapeError } from '../errors.js'
import { assertDropoutRate } from '../masks/dropout-mask.js'
import { assertTemperature } from '../math/temperature.js'
import type { HeadGradientInput, HeadGradientShape, SdDropoutLossSettings } from './head-gradient-kernel.js'

/**
 * Checks the shape a gradient workspace is prepared for: D, C and the batch cap positive integers.
 * Shared by every {@link HeadGradientKernel} so they refuse the same inputs.
 *
 * @throws {ShapeError} otherwise.
 * @example
 * ```ts
 * assertGradientShape({ featureDim: 128, classes: 10, maxBatch: 32 }) // ok
 * ```
 */
export function assertGradientShape(shape: HeadGradientShape): void {
  const { featureDim, classes, maxBatch } = shape
  if (![featureDim, classes, maxBatch].every((n) => Number.isInteger(n) && n > 0)) {
    throw new ShapeError('head gradient shape', 'featureDim, classes and maxBatch positive integers', `${featureDim}, ${classes} and ${maxBatch}`)
  }
}

/**
 * Checks the SD-Dropout loss settings: p in [0, 1), tau finite > 0, lambda finite >= 0, `detach`
 * a boolean, the mask seed an unsigned 32-bit integer.
 *
 * @throws {OptionError} naming the setting.
 * @example
 * ```ts
 * assertLossSettings({ dropoutRate: 0.5, temperature: 3, lambda: 1, detach: false, maskSeed: 0 })
 * ```
 */
export function assertLossSettings(loss: SdDropoutLossSettings): void {
  assertDropoutRate(loss.dropoutRate)
  assertTemperature(loss.temperature)
  if (!(loss.lambda >= 0) || !Number.isFinite(loss.lambda)) throw new OptionError('lambda', `must be a finite number >= 0, got ${loss.lambda}`)
  if (typeof loss.detach !== 'boolean') throw new OptionError('detach', `must be a boolean, got ${String(loss.detach)}`)
  if (!Number.isInteger(loss.maskSeed) || loss.maskSeed < 0 || loss.maskSeed > 0xffffffff) {
    throw new OptionError('maskSeed', `must be an unsigned 32-bit integer, got ${loss.maskSeed}`)
  }
}

/**
 * Checks one step's input against the workspace shape: W D x C, b C values, features N x D with
 * N = labels.length, 1 to maxBatch examples each in [0, N), labels of the batch in [0, C), and the
 * loss settings. O(B), so it runs every step; the features' finiteness is the caller's (once).
 *
 * @throws {ShapeError}, {InputError} or {OptionError} saying which array or value is wrong.
 * @example
 * ```ts
 * assertGradientInput(input, workspace.shape)
 * ```
 */
export function assertGradientInput(input: HeadGradientInput, shape: HeadGradientShape): void {
  const { featureDim: d, classes: c, maxBatch } = shape
  if (input.weight.length !== d * c) throw new ShapeError('head weight', `${d * c} values (D x C = ${d} x ${c})`, `${input.weight.length} values`)
  if (input.bias.length !== c) throw new ShapeError('head bias', `${c} values (C)`, `${input.bias.length} values`)
  const items = input.labels.length
  if (input.features.length !== items * d) throw new ShapeError('features', `N x D = ${items} x ${d} values (one row per label)`, `${input.features.length} values`)
  const batch = input.examples.length
  if (batch === 0) throw new InputError('empty batch: a step needs at least one example')
  if (batch > maxBatch) throw new ShapeError('batch', `at most ${maxBatch} examples (the prepared maxBatch)`, `${batch}`)
  for (let i = 0; i < batch; i++) {
    const e = input.examples[i] as number
    if (e < 0 || e >= items) throw new InputError(`batch item ${i}: example ${e} is outside [0, ${items})`, { item: i, example: e })
    const y = input.labels[e] as number
    if (y < 0 || y >= c) throw new InputError(`example ${e}: label ${y} is outside [0, ${c})`, { example: e, label: y })
  }
  assertLossSettings(input.loss)
}
