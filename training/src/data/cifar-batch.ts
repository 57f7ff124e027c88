import { existsSync, readFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { FormatError, InputError } from '@sd-dropout/sdk'
import type { Dataset } from './dataset.js'
import { readDataFile } from './idx-dataset.js'

/** The two CIFAR binary formats (Krizhevsky 2009, "binary version" of cs.toronto.edu/~kriz/cifar.html). */
export type CifarVariant = 'cifar10' | 'cifar100'

/** Which CIFAR-100 label a record gives: its 100 `fine` classes or its 20 `coarse` superclasses. */
export type CifarLabelKind = 'fine' | 'coarse'

/** Pixels of one CIFAR image: 32 x 32 x 3. */
const PIXELS = 32 * 32 * 3

/** The ten CIFAR-10 class names, in label order (the `batches.meta.txt` of the binary archive). */
export const CIFAR10_LABELS = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const

/**
 * Parses one CIFAR binary batch: a sequence of records, each the label byte(s) then 3,072 pixel
 * bytes, the red, green and blue 32 x 32 planes in turn (row-major). CIFAR-10 records have one label
 * byte (3,073 bytes); CIFAR-100 records have the coarse then the fine label (3,074 bytes). Pixels
 * are converted to interleaved HWC and scaled to [0, 1] (byte / 255), like the IDX reader.
 *
 * @param file the file name, for messages
 * @throws {FormatError} naming the file when it is empty, its size is not a whole number of records
 *   (truncated, or the other CIFAR variant), or a label is out of range (naming the record).
 * @example
 * ```ts
 * const { images, labels, count } = parseCifarBatch(readFileSync('data_batch_1.bin'), 'data_batch_1.bin', 'cifar10', 'fine')
 * ```
 */
export function parseCifarBatch(bytes: Uint8Array, file: string, variant: CifarVariant, labelKind: CifarLabelKind = 'fine'): { images: Float32Array; labels: Int32Array; count: number } {
  const labelBytes = variant === 'cifar10' ? 1 : 2
  const record = labelBytes + PIXELS
  const name = variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100'
  if (bytes.length === 0) throw new FormatError(file, `empty file; a ${name} batch holds ${record}-byte records`)
  if (bytes.length % record !== 0) {
    const other = variant === 'cifar10' ? 3074 : 3073
    const hint = bytes.length % other === 0 ? ` (it is a whole number of ${other}-byte records: a ${variant === 'cifar10' ? 'CIFAR-100' : 'CIFAR-10'} batch? use --data ${variant === 'cifar10' ? 'cifar100' : 'cifar10'})` : ' (truncated or not a CIFAR batch)'
    throw new FormatError(file, `${bytes.length} bytes is not a whole number of ${record}-byte ${name} records (label + 32x32x3 pixels)${hint}`, { bytes: bytes.length, record })
  }
  const count = bytes.length / record
  const classes = variant === 'cifar10' ? 10 : labelKind === 'fine' ? 100 : 20
  const labelOffset = variant === 'cifar10' || labelKind === 'fine' ? labelBytes - 1 : 0
  const images = new Float32Array(count * PIXELS)
  const labels = new Int32Array(count)
  for (let i = 0; i < count; i++) {
    const start = i * record
    const label = bytes[start + labelOffset] as number
    if (label >= classes) {
      throw new FormatError(file, `record ${i}: ${variant === 'cifar10' ? '' : `${labelKind} `}label ${label} is out of range [0, ${classes})`, { record: i, label })
    }
    labels[i] = label
    const pixels = start + labelBytes
    for (let p = 0; p < 1024; p++) {
      for (let c = 0; c < 3; c++) images[i * PIXELS + p * 3 + c] = (bytes[pixels + c * 1024 + p] as number) / 255
    }
  }
  return { images, labels, count }
}

/**
 * Loads CIFAR binary batch files (e.g. `data_batch_1.bin` ... `data_batch_5.bin`, or CIFAR-100's
 * `train.bin`) into one data set of 32 x 32 x 3 images in [0, 1].
 *
 * @throws {InputError} for a missing file or an empty list; {@link FormatError} for a corrupt one.
 * @example
 * ```ts
 * const train = loadCifarDataset(['data_batch_1.bin', 'data_batch_2.bin'], 'cifar10')
 * ```
 */
export function loadCifarDataset(paths: readonly string[], variant: CifarVariant, labelKind: CifarLabelKind = 'fine'): Dataset {
  if (paths.length === 0) throw new InputError(`${variant}: no batch files given`)
  const parts = paths.map((path) => parseCifarBatch(readDataFile(path), basename(path), variant, labelKind))
  const count = parts.reduce((n, part) => n + part.count, 0)
  const images = new Float32Array(count * PIXELS)
  const labels = new Int32Array(count)
  let offset = 0
  for (const part of parts) {
    images.set(part.images, offset * PIXELS)
    labels.set(part.labels, offset)
    offset += part.count
  }
  const classes = variant === 'cifar10' ? 10 : labelKind === 'fine' ? 100 : 20
  return { name: paths.map((path) => basename(path)).join('+'), images, labels, count, itemShape: [32, 32, 3], classes }
}

/**
 * Class names of a CIFAR data set: read from the archive's name file beside the first batch
 * (`batches.meta.txt` for CIFAR-10, `fine_label_names.txt` / `coarse_label_names.txt` for
 * CIFAR-100; one name per line) when it is there, else the standard CIFAR-10 names or the label
 * numbers.
 *
 * @throws {FormatError} when the name file exists but does not hold one name per class.
 * @example
 * ```ts
 * cifarLabelNames('cifar-10-batches-bin/data_batch_1.bin', 'cifar10') // ['airplane', ...]
 * ```
 */
export function cifarLabelNames(firstBatch: string, variant: CifarVariant, labelKind: CifarLabelKind = 'fine'): string[] {
  const classes = variant === 'cifar10' ? 10 : labelKind === 'fine' ? 100 : 20
  const file = join(dirname(firstBatch), variant === 'cifar10' ? 'batches.meta.txt' : `${labelKind}_label_names.txt`)
  if (!existsSync(file)) return variant === 'cifar10' ? [...CIFAR10_LABELS] : Array.from({ length: classes }, (_, c) => String(c))
  const names = readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
  if (names.length !== classes) throw new FormatError(basename(file), `holds ${names.length} class names, expected ${classes} (one per line)`)
  return names
}
