import { OptionError } from '../errors.js'

/**
 * Checks a softmax temperature (distillation tau, calibration T_cal or energy temperature):
 * a finite number > 0.
 *
 * @throws {OptionError} otherwise.
 * @example
 * ```ts
 * assertTemperature(1.5) // ok
 * ```
 */
export function assertTemperature(temperature: number, option = 'temperature'): void {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new OptionError(option, `must be a finite number > 0, got ${temperature}`)
  }
}
