import { OptionError } from '../errors.js'
import type { TemperatureFit, TemperatureFitOptions } from './fit-temperature.js'

const GOLDEN = (Math.sqrt(5) - 1) / 2

/**
 * Temperature scaling for any predictive distribution whose loss can be evaluated at a temperature,
 * e.g. the MC-dropout mean pbar(T) = mean_s softmax(z_s / T) the SDK serves by default: a
 * golden-section search for the T in [lower, upper] minimising `loss(T)` (the mean NLL, or another
 * proper scoring rule such as the Brier score, see `calibrationLoss`), on ln T; the result's
 * `nllBefore` / `nllAfter` then hold that loss at T = 1 and at the fitted T. For a single set
 * of logits use `fitTemperature` (exact Newton on a convex objective); the MC objective is not
 * guaranteed convex, so this finds a local minimum (in practice the NLL and the Brier score are
 * unimodal in ln T).
 *
 * `atBound` reports an optimum within `tolerance` (on ln T) of a bound whose loss is not above the
 * interior's, as `fitTemperature` does.
 *
 * @param loss the held-out loss at temperature T, e.g. mean negative log-likelihood in nats
 * @throws {OptionError} for bad bounds or tolerance.
 * @example
 * ```ts
 * const fit = fitTemperatureBySearch((t) => negativeLogLikelihood(matrix(head.run({ ...run, temperature: t }).probabilities, n, c), labels))
 * ```
 */
export function fitTemperatureBySearch(loss: (temperature: number) => number, options: TemperatureFitOptions = {}): TemperatureFit {
  const { lower = 0.05, upper = 20, tolerance = 1e-4 } = options
  if (!(lower > 0) || !Number.isFinite(lower)) throw new OptionError('lower', `must be a finite number > 0, got ${lower}`)
  if (!(upper > lower) || !Number.isFinite(upper)) throw new OptionError('upper', `must be a finite number > lower (${lower}), got ${upper}`)
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) throw new OptionError('tolerance', `must be a finite number > 0, got ${tolerance}`)
  const at = (u: number): number => loss(Math.exp(u))
  let a = Math.log(lower)
  let b = Math.log(upper)
  let c = b - GOLDEN * (b - a)
  let d = a + GOLDEN * (b - a)
  let fc = at(c)
  let fd = at(d)
  let iterations = 0
  while (b - a > tolerance && iterations < 200) {
    iterations++
    if (fc <= fd) {
      b = d
      d = c
      fd = fc
      c = b - GOLDEN * (b - a)
      fc = at(c)
    } else {
      a = c
      c = d
      fc = fd
      d = a + GOLDEN * (b - a)
      fd = at(d)
    }
  }
  const u = (a + b) / 2
  const interior = at(u)
  const nllBefore = loss(1)
  if (u - Math.log(lower) < tolerance * 2) {
    const atLower = loss(lower)
    if (atLower <= interior) return { temperature: lower, atBound: 'lower', nllBefore, nllAfter: atLower, iterations }
  }
  if (Math.log(upper) - u < tolerance * 2) {
    const atUpper = loss(upper)
    if (atUpper <= interior) return { temperature: upper, atBound: 'upper', nllBefore, nllAfter: atUpper, iterations }
  }
  return { temperature: Math.exp(u), atBound: null, nllBefore, nllAfter: interior, iterations }
}
