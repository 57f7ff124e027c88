import { OptionError } from '../errors.js'
import { assertConfidenceAndCorrect } from './assert-inputs.js'
import { groupByConfidence } from './confidence-groups.js'

/** A confidence threshold for selective prediction and what it achieves on the data it was chosen on. */
export interface SelectiveThreshold {
  /** Answer when confidence >= threshold, abstain otherwise; +Infinity when no threshold meets the target (abstain always). */
  readonly threshold: number
  /** Fraction of items accepted, in [0, 1]. */
  readonly coverage: number
  /** Error rate among the accepted items, in [0, targetRisk]; 0 when none is accepted. */
  readonly risk: number
}

/**
 * Chooses the confidence threshold for selective prediction (DESIGN section 2; Geifman and El-Yaniv
 * 2017): the smallest t, among the observed confidences, such that the error rate among items with
 * confidence >= t is at most `targetRisk`. The smallest such t accepts the most items, so coverage
 * is maximal. Risk is not monotone in t, so every candidate is scanned, not only until the first
 * failure. Tied confidences are accepted or rejected together.
 *
 * If no threshold meets the target (already the most confident items err too often), the result
 * is `{ threshold: Infinity, coverage: 0, risk: 0 }`: abstain on everything. Infinity is not a JSON
 * number, so a caller storing the threshold must handle that case explicitly.
 *
 * This is the empirical choice on held-out data; it does not add a confidence bound (the risk on
 * new data can be higher, especially when few items are accepted).
 *
 * @param confidence one finite score per item, higher = more confident (e.g. calibrated max probability)
 * @param correct whether each item was predicted correctly (`true`/`false` or `1`/`0`)
 * @param targetRisk the largest acceptable error rate among accepted items, in [0, 1] (e.g. 0.01)
 * @throws {ShapeError} for mismatched lengths; {InputError} for an empty set or invalid values;
 *   {OptionError} for a target risk outside [0, 1].
 * @example
 * ```ts
 * selectiveThreshold([0.9, 0.8, 0.7, 0.6], [true, true, false, true], 0.25)
 * // { threshold: 0.6, coverage: 1, risk: 0.25 }
 * ```
 */
export function selectiveThreshold(confidence: ArrayLike<number>, correct: ArrayLike<boolean | number>, targetRisk: number): SelectiveThreshold {
  if (!(targetRisk >= 0 && targetRisk <= 1)) throw new OptionError('targetRisk', `must be a number in [0, 1], got ${targetRisk}`)
  assertConfidenceAndCorrect(confidence, correct)
  const groups = groupByConfidence(confidence, correct)
  let best: SelectiveThreshold = { threshold: Infinity, coverage: 0, risk: 0 }
  let accepted = 0
  let errors = 0
  for (let g = 0; g < groups.count.length; g++) {
    accepted += groups.count[g] as number
    errors += groups.errors[g] as number
    const risk = errors / accepted
    if (risk <= targetRisk) best = { threshold: groups.confidence[g] as number, coverage: accepted / confidence.length, risk }
  }
  return best
}
