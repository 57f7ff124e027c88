import { InputError, OptionError, ShapeError } from '../errors.js'
import type { ClassesOption } from './fine-tune-options.js'

/**
 * The label set of a fine-tuned model: the parent's (`keep`), the parent's followed by the new ones
 * (`extend`), or the given list (`replace`).
 *
 * @throws {OptionError} (`classes`) when `extend` names a label the model already has.
 * @example
 * ```ts
 * fineTuneLabelSet(['0', '1'], { mode: 'extend', labels: ['2'] }) // ['0', '1', '2']
 * ```
 */
export function fineTuneLabelSet(parentLabels: readonly string[], classes: ClassesOption): readonly string[] {
  if (classes.mode === 'keep') return parentLabels
  if (classes.mode === 'replace') return classes.labels
  const existing = classes.labels.filter((label) => parentLabels.includes(label))
  if (existing.length > 0) throw new OptionError('classes', `extend adds new labels, but ${existing.map((l) => JSON.stringify(l)).join(', ')} already belong to the model`)
  return [...parentLabels, ...classes.labels]
}

/**
 * Turns the caller's labels into class indices of `labelSet`: a string is a label name, a number a
 * class index into `labelSet`.
 *
 * @throws {ShapeError} when there are not `items` labels; {InputError} for an unknown name, an index
 *   that is not an integer in [0, C), or a value of another type.
 * @example
 * ```ts
 * labelIndices(['dog', 0], ['cat', 'dog'], 2) // Int32Array [1, 0]
 * ```
 */
export function labelIndices(labels: readonly (number | string)[], labelSet: readonly string[], items: number): Int32Array {
  if (!Array.isArray(labels)) throw new InputError(`labels: expected an array of label names or class indices, received ${typeof labels}`)
  if (labels.length !== items) throw new ShapeError('labels', `one label per input item (${items})`, `${labels.length} labels`)
  const byName = new Map(labelSet.map((label, index) => [label, index]))
  return Int32Array.from(labels, (label, i) => {
    if (typeof label === 'string') {
      const index = byName.get(label)
      if (index === undefined) throw new InputError(`label ${i}: unknown label ${JSON.stringify(label)} (known: ${labelSet.join(', ')})`, { item: i, label })
      return index
    }
    if (typeof label !== 'number' || !Number.isInteger(label) || label < 0 || label >= labelSet.length) {
      throw new InputError(`label ${i}: ${String(label)} is not a label name or a class index in [0, ${labelSet.length})`, { item: i })
    }
    return label
  })
}
