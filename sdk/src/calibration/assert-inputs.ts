import { InputError, OptionError, ShapeError } from '../errors.js'
import type { Matrix } from '../math/matrix.js'

/**
 * Input checks shared by every calibration and selective-prediction metric. Each public metric
 * calls one of these once, at its top, and then trusts its inputs.
 */

/** What a score matrix holds: probabilities must lie in [0, 1], logits only be finite. */
export type ScoreKind = 'probabilities' | 'logits'

/**
 * Checks an items x classes matrix of probabilities or logits and its labels.
 *
 * @throws {ShapeError} when `data.length !== rows * cols`, there are no classes, or `labels.length !== rows`.
 * @throws {InputError} when there are no items, a label is not an integer class id in [0, cols),
 *   or a value is NaN or infinite (or, for probabilities, outside [0, 1]).
 * @example
 * ```ts
 * assertScoredLabels(matrixFromRows([[0.7, 0.3]]), [0], 'probabilities') // ok
 * ```
 */
export function assertScoredLabels(scores: Matrix, labels: ArrayLike<number>, kind: ScoreKind): void {
  const { data, rows, cols } = scores
  if (data.length !== rows * cols) throw new ShapeError(kind, `${rows * cols} values (${rows} x ${cols})`, `${data.length} values`)
  if (labels.length !== rows) throw new ShapeError('labels', `${rows} labels (one per item)`, `${labels.length} labels`)
  if (rows === 0) throw new InputError(`${kind}: the set is empty (0 items); metrics need at least one item`, { what: kind })
  if (cols < 1) throw new ShapeError(kind, 'at least 1 class', '0 classes')
  for (let i = 0; i < rows; i++) {
    const label = labels[i] as number
    if (!Number.isInteger(label) || label < 0 || label >= cols) {
      throw new InputError(`labels: item ${i} has label ${label}, expected an integer class id in [0, ${cols - 1}]`, { item: i, label: String(label) })
    }
  }
  const isProbability = kind === 'probabilities'
  for (let k = 0; k < data.length; k++) {
    const v = data[k] as number
    if (!Number.isFinite(v) || (isProbability && (v < 0 || v > 1))) {
      const item = Math.floor(k / cols)
      const expected = isProbability ? 'a probability in [0, 1]' : 'a finite number'
      throw new InputError(`${kind}: item ${item}, class ${k - item * cols} is ${v}, expected ${expected}`, { item, value: String(v) })
    }
  }
}

/**
 * Checks a selective-prediction input: one finite confidence per item and a correctness flag
 * (`true`/`false` or `1`/`0`) per item.
 *
 * @throws {ShapeError} when the lengths differ.
 * @throws {InputError} when empty, a confidence is NaN or infinite, or a flag is not boolean/0/1.
 * @example
 * ```ts
 * assertConfidenceAndCorrect([0.9, 0.6], [true, 0]) // ok
 * ```
 */
export function assertConfidenceAndCorrect(confidence: ArrayLike<number>, correct: ArrayLike<boolean | number>): void {
  if (correct.length !== confidence.length) {
    throw new ShapeError('correct', `${confidence.length} flags (one per confidence)`, `${correct.length} flags`)
  }
  if (confidence.length === 0) throw new InputError('confidence: the set is empty (0 items); metrics need at least one item', { what: 'confidence' })
  for (let i = 0; i < confidence.length; i++) {
    const c = confidence[i] as number
    if (!Number.isFinite(c)) throw new InputError(`confidence: item ${i} is ${c}, expected a finite number`, { item: i, value: String(c) })
    const flag = correct[i]
    if (flag !== true && flag !== false && flag !== 0 && flag !== 1) {
      throw new InputError(`correct: item ${i} is ${String(flag)}, expected true, false, 1 or 0`, { item: i, value: String(flag) })
    }
  }
}

/**
 * Checks a bin count: an integer >= 1.
 *
 * @throws {OptionError} otherwise.
 * @example
 * ```ts
 * assertBinCount(15) // ok
 * ```
 */
export function assertBinCount(bins: number): void {
  if (!Number.isInteger(bins) || bins < 1) throw new OptionError('bins', `must be an integer >= 1, got ${bins}`)
}
