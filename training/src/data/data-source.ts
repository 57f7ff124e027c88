import { InputError } from '@sd-dropout/sdk'
import { cifarLabelNames, loadCifarDataset, type CifarLabelKind } from './cifar-batch.js'
import { loadCsvDataset } from './csv-dataset.js'
import type { Dataset } from './dataset.js'
import { loadIdxDataset } from './idx-dataset.js'
import { loadImageFolder } from './image-folder.js'

/** The data formats `--data` names: the built-in digits, or the user's files. */
export const DATA_KINDS = ['mnist', 'idx', 'cifar10', 'cifar100', 'images', 'csv'] as const

/** One of {@link DATA_KINDS}. */
export type DataKind = (typeof DATA_KINDS)[number]

/** Labelled files in one of the user formats (one split: training or test). */
export type DataSource =
  | { readonly kind: 'idx'; readonly images: string; readonly labels: string }
  | { readonly kind: 'cifar10' | 'cifar100'; readonly files: readonly string[]; readonly labelKind: CifarLabelKind }
  | { readonly kind: 'images'; readonly folder: string; readonly height?: number; readonly width?: number; readonly channels?: 1 | 3; readonly invert?: boolean; readonly mnistCentering?: boolean }
  | { readonly kind: 'csv'; readonly file: string; readonly labelColumn?: string }

/** A labelled data set with its class names (index = label). */
export interface LabelledDataset extends Dataset {
  readonly labelNames: readonly string[]
}

/** Options of {@link loadDataSource}. */
export interface LoadDataSourceOptions {
  /** Class names to map the labels to (a test set read for a model or training set); default the source's own. */
  readonly labels?: readonly string[]
  /** C for IDX and integer CSV labels without `labels` (IDX default 10). */
  readonly classes?: number
  /** The training items' shape: IDX images must have it; a test image folder is decoded to its size and channels (unless its own flags say otherwise). */
  readonly itemShape?: readonly number[]
}

/**
 * Loads one split of labelled data from the user's files, in [0, 1] pixel space (IDX, CIFAR,
 * images) or as raw features (CSV), with class names: IDX `0` ... `C - 1`; CIFAR from the archive's
 * name file; image folders their sorted folder names; CSV its labels. With `labels`, a test split's
 * classes are mapped onto a model's: image folders and text CSV labels by name, the others by index
 * (their C must equal the number of names).
 *
 * @throws the typed errors of each reader (they name the file and the problem); {@link InputError}
 *   when a source's class count differs from `labels`.
 * @example
 * ```ts
 * const test = loadDataSource({ kind: 'images', folder: 'photos/test', height: 32, width: 32 }, { labels: train.labelNames })
 * ```
 */
export function loadDataSource(source: DataSource, options: LoadDataSourceOptions = {}): LabelledDataset {
  const { labels } = options
  switch (source.kind) {
    case 'idx': {
      const classes = labels?.length ?? options.classes ?? 10
      const data = loadIdxDataset(source.images, source.labels, classes, options.itemShape)
      return { ...data, labelNames: labels ?? Array.from({ length: classes }, (_, c) => String(c)) }
    }
    case 'cifar10':
    case 'cifar100': {
      const data = loadCifarDataset(source.files, source.kind, source.labelKind)
      const own = cifarLabelNames(source.files[0] as string, source.kind, source.labelKind)
      if (labels !== undefined && labels.length !== data.classes) {
        throw new InputError(`${data.name}: ${source.kind}${source.kind === 'cifar100' ? ` (${source.labelKind} labels)` : ''} has ${data.classes} classes, the model ${labels.length}`, { classes: data.classes, expected: labels.length })
      }
      return { ...data, labelNames: labels ?? own }
    }
    case 'images': {
      // a test folder takes the training items' size and channels unless the flags give them
      const [itemHeight, itemWidth, itemChannels] = options.itemShape ?? []
      const height = source.height ?? itemHeight
      const width = source.width ?? itemWidth
      const channels = source.channels ?? (itemChannels === 1 || itemChannels === 3 ? itemChannels : undefined)
      return loadImageFolder(source.folder, {
        ...(height === undefined ? {} : { height }),
        ...(width === undefined ? {} : { width }),
        ...(channels === undefined ? {} : { channels }),
        ...(source.invert === undefined ? {} : { invert: source.invert }),
        ...(source.mnistCentering === undefined ? {} : { mnistCentering: source.mnistCentering }),
        ...(labels === undefined ? {} : { labels }),
      })
    }
    case 'csv':
      return loadCsvDataset(source.file, {
        ...(source.labelColumn === undefined ? {} : { labelColumn: source.labelColumn }),
        ...(labels === undefined ? {} : { labels }),
        ...(options.classes === undefined ? {} : { classes: options.classes }),
      })
  }
}

/**
 * A short description of a source for provenance and messages, e.g. `cifar10 data_batch_1.bin+data_batch_2.bin`.
 *
 * @example
 * ```ts
 * describeDataSource({ kind: 'csv', file: 'iris.csv' }) // 'csv iris.csv'
 * ```
 */
export function describeDataSource(source: DataSource): string {
  switch (source.kind) {
    case 'idx':
      return `idx ${source.images}`
    case 'cifar10':
    case 'cifar100':
      return `${source.kind} ${source.files.join(',')}${source.kind === 'cifar100' ? ` (${source.labelKind} labels)` : ''}`
    case 'images':
      return `images ${source.folder}`
    case 'csv':
      return `csv ${source.file}`
  }
}
