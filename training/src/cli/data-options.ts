import { OptionError } from '@sd-dropout/sdk'
import { AUGMENTATION_NAMES } from '../data/augment.js'
import { DATA_KINDS, type DataKind, type DataSource } from '../data/data-source.js'
import type { OptionSpec, OptionValues } from './option-spec.js'

/** How `--normalize` scales inputs: `auto` = `per-channel` for natural images (CIFAR, image folders), `none` otherwise. */
export const NORMALIZE_CHOICES = ['auto', 'none', 'per-channel'] as const

/** The flags that say where labelled data come from (`train` and `import`). */
export const DATA_SOURCE_OPTIONS: readonly OptionSpec[] = [
  { name: 'data', kind: 'string', choices: DATA_KINDS, default: 'mnist', description: 'built-in mnist split (7000/1000/2000), IDX files, CIFAR-10/100 binary batches, a folder of images (one sub-folder per class) or a CSV table' },
  { name: 'train-images', kind: 'string', placeholder: '<file>', description: 'IDX training images (with --data idx)' },
  { name: 'train-labels', kind: 'string', placeholder: '<file>', description: 'IDX training labels (with --data idx)' },
  { name: 'test-images', kind: 'string', placeholder: '<file>', description: 'IDX test images for the metrics in the manifest (with --data idx; optional)' },
  { name: 'test-labels', kind: 'string', placeholder: '<file>', description: 'IDX test labels (with --test-images)' },
  { name: 'train-data', kind: 'list', placeholder: '<path>', description: 'training data of --data cifar10|cifar100 (batch files, e.g. data_batch_1.bin,...,data_batch_5.bin), images (a folder) or csv (a file)' },
  { name: 'test-data', kind: 'list', placeholder: '<path>', description: 'test data in the same format (optional): CIFAR test_batch.bin / test.bin, a folder, a CSV file' },
  { name: 'validation-fraction', kind: 'number', min: 0.01, max: 0.5, default: 0.1, description: 'fraction of the training files held out (seeded) for T_cal and thresholds (every --data but mnist)' },
  { name: 'classes', kind: 'integer', min: 2, max: 10000, description: 'number of classes C: labels must be in [0, C) (--data idx: default 10; integer CSV labels: default largest + 1)' },
  { name: 'cifar-labels', kind: 'string', choices: ['fine', 'coarse'], default: 'fine', description: 'with --data cifar100: the 100 fine classes or the 20 coarse superclasses' },
  { name: 'image-size', kind: 'string', placeholder: '<HxW>', description: 'with --data images: resize every image to H x W pixels (or N for N x N); default: every image must have the size of the first' },
  { name: 'channels', kind: 'integer', min: 1, max: 3, description: 'with --data images: 1 (luma) or 3 (RGB); default: those of the first image' },
  { name: 'label-column', kind: 'string', placeholder: '<name|index>', description: 'with --data csv: the label column (default: the column named label, class or target, else the last)' },
]

/** Every data flag of `sd-dropout train`: the sources, normalisation and augmentation. */
export const TRAIN_DATA_OPTIONS: readonly OptionSpec[] = [
  ...DATA_SOURCE_OPTIONS,
  { name: 'normalize', kind: 'string', choices: NORMALIZE_CHOICES, default: 'auto', description: 'per-channel: (x - mean) / std with mean and std of the training split, stored in the bundle so the SDK applies them (auto: per-channel for cifar and images, none otherwise)' },
  { name: 'augment', kind: 'string', choices: ['auto', ...AUGMENTATION_NAMES], default: 'auto', description: 'on-the-fly augmentation: shift (up to 2 px), crop (4 px padding), flip (left-right), crop-flip (auto: shift for mnist and idx, crop-flip for cifar and images, none for csv)' },
]

/** The data flags of `sd-dropout evaluate`: a labelled test set in any format. */
export const TEST_DATA_OPTIONS: readonly OptionSpec[] = [
  { name: 'data', kind: 'string', choices: DATA_KINDS, default: 'mnist', description: 'test data: the built-in mnist test split (2000 digits), IDX files, CIFAR batches, a folder of images or a CSV table' },
  { name: 'test-images', kind: 'string', placeholder: '<file>', description: 'IDX test images (with --data idx)' },
  { name: 'test-labels', kind: 'string', placeholder: '<file>', description: 'IDX test labels (with --data idx)' },
  { name: 'test-data', kind: 'list', placeholder: '<path>', description: 'test data of --data cifar10|cifar100 (batch files), images (a folder, resized to the model input) or csv (a file)' },
  { name: 'cifar-labels', kind: 'string', choices: ['fine', 'coarse'], default: 'fine', description: 'with --data cifar100: fine or coarse labels' },
  { name: 'label-column', kind: 'string', placeholder: '<name|index>', description: 'with --data csv: the label column' },
]

const IDX_FLAGS = ['train-images', 'train-labels', 'test-images', 'test-labels'] as const
const FILE_FLAGS = ['train-data', 'test-data'] as const

/** How `--data images` decodes files: size and channels (from `--image-size` / `--channels`, or a model's input), and an imported model's inversion / MNIST centring. */
export interface ImageDecoding {
  readonly height?: number
  readonly width?: number
  readonly channels?: 1 | 3
  readonly invert?: boolean
  readonly mnistCentering?: boolean
}

/**
 * Reads the source of one split (`train` or `test`) from parsed data flags, checking that the
 * flags fit `--data` (IDX flags only with idx, `--train-data` / `--test-data` only with the file
 * formats, one path for images and csv). Returns null for `--data mnist` and for an absent
 * optional test split.
 *
 * @throws {OptionError} naming the flag for a flag that does not fit, a missing required one, or a bad `--image-size`.
 * @example
 * ```ts
 * dataSourceFromOptions({ data: 'csv', 'train-data': ['iris.csv'] }, 'train') // { kind: 'csv', file: 'iris.csv' }
 * ```
 */
export function dataSourceFromOptions(values: OptionValues, split: 'train' | 'test', decoding: ImageDecoding = imageDecoding(values)): DataSource | null {
  const kind = values.data as DataKind
  const set = (flag: string) => values[flag] !== undefined
  if (kind !== 'idx') for (const flag of IDX_FLAGS) if (set(flag)) throw new OptionError(`--${flag}`, 'is only used with --data idx')
  if (kind === 'mnist' || kind === 'idx') for (const flag of FILE_FLAGS) if (set(flag)) throw new OptionError(`--${flag}`, 'is only used with --data cifar10, cifar100, images or csv')
  if (kind !== 'images') for (const flag of ['image-size', 'channels']) if (set(flag)) throw new OptionError(`--${flag}`, 'is only used with --data images')
  if (kind !== 'csv' && set('label-column')) throw new OptionError('--label-column', 'is only used with --data csv')
  switch (kind) {
    case 'mnist':
      return null
    case 'idx': {
      const images = values[`${split}-images`]
      const labels = values[`${split}-labels`]
      if (split === 'test' && (images === undefined) !== (labels === undefined)) throw new OptionError('--test-images', 'and --test-labels go together')
      if (typeof images === 'string' && typeof labels === 'string') return { kind, images, labels }
      if (split === 'test') return null
      throw new OptionError('--data', 'idx needs --train-images and --train-labels')
    }
    default: {
      const paths = values[`${split}-data`] as readonly string[] | undefined
      if (paths === undefined || paths.length === 0) {
        if (split === 'test') return null
        throw new OptionError('--data', `${kind} needs --train-data (${kind === 'images' ? 'a folder with one sub-folder per class' : kind === 'csv' ? 'a CSV file' : 'the binary batch files'})`)
      }
      if (kind === 'cifar10' || kind === 'cifar100') return { kind, files: paths, labelKind: values['cifar-labels'] === 'coarse' ? 'coarse' : 'fine' }
      if (paths.length !== 1) throw new OptionError(`--${split}-data`, `takes one ${kind === 'images' ? 'folder' : 'file'} with --data ${kind}, got ${paths.length}`)
      const path = paths[0] as string
      if (kind === 'images') return { kind, folder: path, ...decoding }
      const labelColumn = values['label-column']
      return { kind, file: path, ...(typeof labelColumn === 'string' ? { labelColumn } : {}) }
    }
  }
}

/**
 * `--image-size` (`HxW` or `N`) and `--channels` as image decoding.
 *
 * @throws {OptionError} for a malformed size or 2 channels.
 * @example
 * ```ts
 * imageDecoding({ 'image-size': '32x24', channels: 3 }) // { height: 32, width: 24, channels: 3 }
 * ```
 */
export function imageDecoding(values: OptionValues): ImageDecoding {
  const size = values['image-size']
  const channels = values.channels
  if (channels === 2) throw new OptionError('--channels', 'must be 1 (luma) or 3 (RGB), got 2')
  const out: { height?: number; width?: number; channels?: 1 | 3 } = channels === 1 || channels === 3 ? { channels } : {}
  if (typeof size === 'string') {
    const match = /^(\d+)(?:x(\d+))?$/.exec(size.trim())
    const height = Number(match?.[1])
    const width = Number(match?.[2] ?? match?.[1])
    if (match === null || height < 1 || width < 1 || height > 4096 || width > 4096) throw new OptionError('--image-size', `must be HxW or N (pixels, 1 to 4096), got "${size}"`)
    out.height = height
    out.width = width
  }
  return out
}
