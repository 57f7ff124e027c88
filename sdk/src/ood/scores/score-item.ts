import { InputError, NotFittedError, OptionError } from '../../errors.js'
import type { UncertaintySummary } from '../../uncertainty/summarize-samples.js'
import type { MahalanobisStatistics } from '../mahalanobis/mahalanobis-statistics.js'
import type { OodScoreName } from '../score-name.js'
import { energyScore } from './energy.js'
import { mahalanobisScore } from './mahalanobis-score.js'
import { maxLogitScore } from './max-logit.js'
import { maxSoftmaxProbabilityScore } from './max-softmax-probability.js'
import { monteCarloEntropyScore, mutualInformationScore } from './monte-carlo-scores.js'
import { softmaxEntropyScore } from './softmax-entropy.js'

/** Everything any OOD score may need about one item; each score reads only its own fields. */
export interface OodScoreInput {
  /** The deterministic logits z (no dropout), C values. */
  readonly logits: ArrayLike<number>
  /** The calibration temperature T_cal (used by `msp` and `entropy`; MC scores take it through `summary`). */
  readonly temperature: number
  /** `summarizeSamples(...)` of the item's S MC-dropout samples at T_cal (for `mc-entropy`, `mutual-information`). */
  readonly summary?: UncertaintySummary
  /** S, the number of MC-dropout samples `summary` was computed from. */
  readonly samples?: number
  /** The pooled feature vector h, D values (for `mahalanobis`). */
  readonly features?: ArrayLike<number>
  /** Fitted Mahalanobis statistics (for `mahalanobis`). */
  readonly mahalanobis?: MahalanobisStatistics
}

/** One OOD score as a function of an {@link OodScoreInput}; higher = more likely out-of-distribution. */
export type OodScoreFunction = (input: OodScoreInput) => number

/**
 * The OOD score registry: every {@link OodScoreName} mapped to its function (DESIGN section 2).
 * A `Record`, so adding a name to `OOD_SCORE_NAMES` without a function here fails to compile.
 *
 * @example
 * ```ts
 * OOD_SCORES.energy({ logits: [0, 0], temperature: 1 }) // -ln 2
 * ```
 */
export const OOD_SCORES: Readonly<Record<OodScoreName, OodScoreFunction>> = {
  msp: (input) => maxSoftmaxProbabilityScore(input.logits, input.temperature),
  'max-logit': (input) => maxLogitScore(input.logits),
  energy: (input) => energyScore(input.logits),
  entropy: (input) => softmaxEntropyScore(input.logits, input.temperature),
  'mc-entropy': (input) => monteCarloEntropyScore(monteCarloSummary('mc-entropy', input)),
  'mutual-information': (input) => mutualInformationScore(monteCarloSummary('mutual-information', input)),
  mahalanobis: (input) => {
    if (input.mahalanobis === undefined) {
      throw new NotFittedError('the mahalanobis score needs fitted Mahalanobis statistics (this model has none)', { score: 'mahalanobis' })
    }
    if (input.features === undefined) throw new InputError('the mahalanobis score needs the feature vector h of the item', { score: 'mahalanobis' })
    return mahalanobisScore(input.features, input.mahalanobis)
  },
}

/**
 * Computes the named OOD score of one item through {@link OOD_SCORES}. Higher = more likely OOD.
 *
 * @throws {OptionError} (`samples`) for `mc-entropy` / `mutual-information` unless `samples >= 2`.
 * @throws {InputError} when an MC score lacks `summary`, or `mahalanobis` lacks `features`.
 * @throws {NotFittedError} for `mahalanobis` without `mahalanobis` statistics.
 * @example
 * ```ts
 * scoreItem('msp', { logits: [Math.log(3), 0], temperature: 1 }) // 0.25
 * const samples = [2, 0, 0, 2] // S = 2 MC-dropout samples of 2 logits
 * scoreItem('mc-entropy', { logits: [1, 1], temperature: 1, samples: 2, summary: summarizeSamples(samples, 2, 2, 1) }) // ln 2
 * ```
 */
export function scoreItem(name: OodScoreName, input: OodScoreInput): number {
  return OOD_SCORES[name](input)
}

function monteCarloSummary(name: OodScoreName, input: OodScoreInput): UncertaintySummary {
  const samples = input.samples ?? 0
  if (!(samples >= 2)) {
    throw new OptionError('samples', `the MC score ${name} needs samples >= 2 MC-dropout samples, got ${input.samples ?? 'none'}`, { score: name })
  }
  if (input.summary === undefined) throw new InputError(`the MC score ${name} needs the item's summarizeSamples(...) summary`, { score: name })
  return input.summary
}
