/**
 * A probability as a percentage with one decimal; values that would round to 0.0% or 100.0%
 * without being exactly 0 or 1 read `<0.1%` and `>99.9%`, so a bar never claims certainty the model
 * does not have.
 *
 * @example
 * ```ts
 * formatProbability(0.9951) // '99.5%'
 * formatProbability(0.00002) // '<0.1%'
 * formatProbability(0.99998) // '>99.9%'
 * ```
 */
export function formatProbability(p: number): string {
  if (p > 0 && p < 0.0005) return '<0.1%'
  if (p < 1 && p >= 0.9995) return '>99.9%'
  return `${(p * 100).toFixed(1)}%`
}

/**
 * An entropy or mutual information in nats: three decimals, or two significant digits in
 * exponent form below 0.001 (so a tiny but non-zero uncertainty does not read as 0.000).
 *
 * @example
 * ```ts
 * formatNats(0.6188) // '0.619'
 * formatNats(0.0000213) // '2.1e-5'
 * formatNats(0) // '0.000'
 * ```
 */
export function formatNats(value: number): string {
  if (value > 0 && value < 0.001) return value.toExponential(1)
  return value.toFixed(3)
}

/**
 * Where an OOD score sits on the gauge, in [0, 1]: the threshold t at 1/2; in general
 * 1/2 + (score - t) / (2 |t|), clamped (|t| taken as 1 when t = 0). For a positive threshold the
 * ends are 0 and 2t.
 *
 * @example
 * ```ts
 * gaugePosition(22.7, 112.7) // 0.1007...
 * gaugePosition(400, 112.7) // 1
 * gaugePosition(-6, -4) // 0.25
 * ```
 */
export function gaugePosition(score: number, threshold: number): number {
  const unit = Math.abs(threshold) || 1
  return Math.min(1, Math.max(0, 0.5 + (score - threshold) / (2 * unit)))
}
