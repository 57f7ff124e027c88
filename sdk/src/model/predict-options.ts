import { OptionError } from '../errors.js'
import { isMonteCarloScore, isOodScoreName, OOD_SCORE_NAMES, type OodScoreName } from '../ood/score-name.js'
import type { ModelInfo } from './model-info.js'

/** Options of `model.predict`. */
export interface PredictOptions {
  /** MC-dropout samples S (integer 0..1024); default: the S the bundle's thresholds were fitted at. 0 = the deterministic prediction. */
  readonly samples?: number
  /** Mask seed (unsigned 32-bit integer); default: the seed the bundle's thresholds were fitted with (`info.ood.seed`, 0 for bundles our trainer writes), so the same call gives the same answer. */
  readonly seed?: number
  /** Which OOD score decides the verdict; default: the bundle's `ood.score`. MC scores need samples >= 2. */
  readonly oodScore?: OodScoreName
}

/** {@link PredictOptions} with defaults filled in and checked. */
export interface ResolvedPredictOptions {
  readonly samples: number
  readonly seed: number
  readonly oodScore: OodScoreName
}

/** The most MC-dropout samples one call may ask for. */
export const MAX_SAMPLES = 1024

const KNOWN = new Set(['samples', 'seed', 'oodScore'])

/**
 * Checks predict options and fills defaults from the bundle (samples = `info.ood.samples`,
 * seed = `info.ood.seed`, score = `info.ood.score`). With `forHead`, the score is not checked
 * (the raw head output carries every score; MC ones are null below 2 samples).
 *
 * @throws {OptionError} for an unknown option, a value of the wrong type or range, an unknown
 *   score, a Mahalanobis score on a bundle without statistics, or an MC score with samples < 2.
 * @example
 * ```ts
 * resolvePredictOptions({ samples: 8 }, model.info) // { samples: 8, seed: 0, oodScore: 'energy' }
 * ```
 */
export function resolvePredictOptions(options: unknown, info: ModelInfo, forHead = false): ResolvedPredictOptions {
  if (options === undefined) options = {}
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new OptionError('options', 'must be an object')
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw new OptionError(key, `unknown option (known: ${[...KNOWN].join(', ')})`)
  }
  const given = options as Record<string, unknown>
  const samples = given.samples ?? info.ood.samples
  if (typeof samples !== 'number' || !Number.isInteger(samples) || samples < 0 || samples > MAX_SAMPLES) {
    throw new OptionError('samples', `must be an integer from 0 to ${MAX_SAMPLES}, got ${JSON.stringify(samples)}`)
  }
  const seed = given.seed ?? info.ood.seed
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new OptionError('seed', `must be an unsigned 32-bit integer, got ${JSON.stringify(seed)}`)
  }
  const oodScore = given.oodScore ?? info.ood.score
  if (!isOodScoreName(oodScore)) throw new OptionError('oodScore', `must be one of ${OOD_SCORE_NAMES.join(', ')}, got ${JSON.stringify(oodScore)}`)
  if (!forHead && isMonteCarloScore(oodScore) && samples < 2) {
    throw new OptionError('samples', `the OOD score ${oodScore} is computed from MC-dropout samples and needs samples >= 2, got ${samples}`)
  }
  if (oodScore === 'mahalanobis' && !info.ood.mahalanobis) {
    throw new OptionError('oodScore', 'mahalanobis needs statistics this bundle does not have')
  }
  return { samples, seed, oodScore }
}
