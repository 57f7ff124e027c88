import { OptionError } from '../errors.js'
import type { Matrix } from '../math/matrix.js'
import { row } from '../math/matrix.js'
import { logSoftmax } from '../math/softmax.js'
import { assertScoredLabels } from './assert-inputs.js'
import { negativeLogLikelihoodFromLogits } from './negative-log-likelihood.js'

/** Options of `fitTemperature`. */
export interface TemperatureFitOptions {
  /** Smallest temperature searched, > 0 (default 0.05). */
  readonly lower?: number
  /** Largest temperature searched, > lower (default 20). */
  readonly upper?: number
  /** Stop when ln T is known to within this (default 1e-6, i.e. T to a relative 1e-6). */
  readonly tolerance?: number
}

/** A fitted calibration temperature T_cal and what it did to the held-out NLL. */
export interface TemperatureFit {
  /** T_cal in [lower, upper]: calibrated probabilities are softmax(z / T_cal). */
  readonly temperature: number
  /** The bound the optimum sits at, or null for an interior optimum (see `fitTemperature`). */
  readonly atBound: 'lower' | 'upper' | null
  /** Mean NLL in nats at T = 1 (the raw logits). */
  readonly nllBefore: number
  /** Mean NLL in nats at T = `temperature`; <= nllBefore when 1 is in [lower, upper]. */
  readonly nllAfter: number
  /** Newton / bisection steps taken (0 when the optimum sits at a bound). */
  readonly iterations: number
}

/**
 * Temperature scaling (Guo et al. 2017, "On Calibration of Modern Neural Networks"): the T_cal in
 * [lower, upper] that minimises the mean NLL of softmax(z / T) on held-out logits.
 *
 * With s = 1 / T, NLL(s) = (1/N) sum_i [logsumexp(s z_i) - s z_{i, y_i}] is convex in s, with
 * NLL'(s) = (1/N) sum_i E_{p_i}[z_i - z_{i, y_i}] and NLL''(s) = (1/N) sum_i Var_{p_i}[z_i]
 * (p_i = softmax(s z_i)), so it is unimodal in u = ln T and the optimum is where NLL' = 0. The fit
 * first checks the sign of NLL' at both bounds, then runs Newton's method on NLL' in ln T inside a
 * bracket that shrinks every step, falling back to bisection when a Newton step leaves it.
 *
 * `atBound` reports an optimum at a bound: `'lower'` when NLL still falls as T shrinks to `lower`
 * (separable data, e.g. every item correct: confidence can only help), `'upper'` when it still
 * falls as T grows to `upper` (e.g. every item wrong, the label always the least likely class).
 * When NLL does not depend on T at all (one class, or every item's logits equal across classes)
 * any T is optimal and the lower bound is reported as `'lower'`: a degenerate fit.
 *
 * @param logits held-out items x classes, finite (uncalibrated z, not probabilities)
 * @param labels integer class id per item
 * @throws {ShapeError}, {InputError} for invalid inputs; {OptionError} for bad bounds or tolerance.
 * @example
 * ```ts
 * // Logits [1, 0] three times, labels 0, 0, 1: the optimum has softmax(z / T) = [2/3, 1/3].
 * const fit = fitTemperature(matrixFromRows([[1, 0], [1, 0], [1, 0]]), [0, 0, 1])
 * fit.temperature // 1 / ln 2 = 1.4427; fit.atBound // null
 * ```
 */
export function fitTemperature(logits: Matrix, labels: ArrayLike<number>, options: TemperatureFitOptions = {}): TemperatureFit {
  const { lower = 0.05, upper = 20, tolerance = 1e-6 } = options
  if (!(lower > 0) || !Number.isFinite(lower)) throw new OptionError('lower', `must be a finite number > 0, got ${lower}`)
  if (!(upper > lower) || !Number.isFinite(upper)) throw new OptionError('upper', `must be a finite number > lower (${lower}), got ${upper}`)
  if (!(tolerance > 0) || !Number.isFinite(tolerance)) throw new OptionError('tolerance', `must be a finite number > 0, got ${tolerance}`)
  assertScoredLabels(logits, labels, 'logits')
  const nllBefore = negativeLogLikelihoodFromLogits(logits, labels, 1)
  const result = (temperature: number, atBound: TemperatureFit['atBound'], iterations: number): TemperatureFit => ({
    temperature,
    atBound,
    nllBefore,
    nllAfter: negativeLogLikelihoodFromLogits(logits, labels, temperature),
    iterations,
  })

  // slope(u) = NLL'(s) at s = e^-u: non-increasing in u = ln T, zero at the optimum.
  let a = Math.log(lower)
  let b = Math.log(upper)
  if (nllSlope(logits, labels, a).slope <= 0) return result(lower, 'lower', 0)
  if (nllSlope(logits, labels, b).slope >= 0) return result(upper, 'upper', 0)

  let u = Math.min(Math.max(0, a), b) // start at T = 1
  let iterations = 0
  while (iterations < 200) {
    iterations++
    const { slope, curvature } = nllSlope(logits, labels, u)
    if (slope === 0) break
    if (slope > 0) a = u
    else b = u
    // d slope / du = -s NLL''(s) <= 0, so the Newton step is u + slope / (s NLL'').
    const s = Math.exp(-u)
    const newton = u + slope / (s * curvature)
    const next = newton > a && newton < b ? newton : (a + b) / 2
    const step = Math.abs(next - u)
    u = next
    if (step < tolerance || b - a < tolerance) break
  }
  return result(Math.exp(u), null, iterations)
}

/** NLL'(s) and NLL''(s) at s = e^-u (see `fitTemperature`), from log-softmax. */
function nllSlope(logits: Matrix, labels: ArrayLike<number>, u: number): { slope: number; curvature: number } {
  const logP = new Float64Array(logits.cols)
  let slope = 0
  let curvature = 0
  for (let i = 0; i < logits.rows; i++) {
    const z = row(logits, i)
    logSoftmax(z, Math.exp(u), logP)
    const zy = z[labels[i] as number] as number
    let mean = 0
    for (let j = 0; j < z.length; j++) mean += Math.exp(logP[j] as number) * ((z[j] as number) - zy)
    let variance = 0
    for (let j = 0; j < z.length; j++) {
      const d = (z[j] as number) - zy - mean
      variance += Math.exp(logP[j] as number) * d * d
    }
    slope += mean
    curvature += variance
  }
  return { slope: slope / logits.rows, curvature: curvature / logits.rows }
}
