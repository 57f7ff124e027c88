import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { FormatError, InputError, ShapeError } from '@sd-dropout/sdk'
import type { Dataset } from './dataset.js'
import { parseIdx } from './idx-file.js'

/** Images read from an IDX file, scaled to [0, 1] (byte / 255). */
export interface IdxImages {
  readonly file: string
  readonly images: Float32Array
  readonly count: number
  /** [height, width, channels]. */
  readonly itemShape: readonly [number, number, number]
}

/**
 * Reads a file, gunzipping it when it starts with the gzip magic.
 *
 * @throws {InputError} when the file does not exist or cannot be read.
 * @throws {FormatError} when a `.gz` file is corrupt.
 * @example
 * ```ts
 * const bytes = readDataFile('t10k-images-idx3-ubyte.gz')
 * ```
 */
export function readDataFile(path: string): Uint8Array {
  let bytes: Uint8Array
  try {
    bytes = readFileSync(path)
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputError(code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path}: ${(error as Error).message}`, { path })
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      return gunzipSync(bytes)
    } catch (error) {
      throw new FormatError(basename(path), `corrupt gzip data: ${(error as Error).message}`, { path })
    }
  }
  return bytes
}

/**
 * Reads IDX images: dims [n, height, width] (grayscale) or [n, height, width, channels].
 *
 * @throws {InputError} for a missing file; {@link FormatError} for a corrupt one or one that is not 3- or 4-dimensional.
 * @example
 * ```ts
 * const { images, itemShape } = readIdxImages('t10k-images-idx3-ubyte') // [28, 28, 1]
 * ```
 */
export function readIdxImages(path: string): IdxImages {
  const file = basename(path)
  const { dims, data } = parseIdx(readDataFile(path), file)
  if (dims.length !== 3 && dims.length !== 4) {
    throw new FormatError(file, `images must have dimensions [n, height, width] or [n, height, width, channels]; found [${dims.join(', ')}] (a label file?)`)
  }
  const [count, height, width, channels = 1] = dims as [number, number, number, number?]
  const images = new Float32Array(data.length)
  for (let i = 0; i < data.length; i++) images[i] = (data[i] as number) / 255
  return { file: path, images, count, itemShape: [height, width, channels] }
}

/**
 * Reads IDX labels: dims [n], one class id per byte.
 *
 * @throws {InputError} for a missing file; {@link FormatError} for a corrupt or non-1-dimensional one.
 * @example
 * ```ts
 * const labels = readIdxLabels('t10k-labels-idx1-ubyte') // Int32Array(10000)
 * ```
 */
export function readIdxLabels(path: string): Int32Array {
  const file = basename(path)
  const { dims, data } = parseIdx(readDataFile(path), file)
  if (dims.length !== 1) throw new FormatError(file, `labels must have dimensions [n]; found [${dims.join(', ')}] (an image file?)`)
  return Int32Array.from(data)
}

/**
 * Checks that images fit a model's input shape.
 *
 * @throws {ShapeError} naming the file, e.g. `images in cifar.idx: expected 28x28x1 (the model's input), received 32x32x3`.
 * @example
 * ```ts
 * assertImageShape(readIdxImages(path), [28, 28, 1])
 * ```
 */
export function assertImageShape(images: IdxImages, expected: readonly number[]): void {
  const same = expected.length === 3 && expected.every((d, i) => d === images.itemShape[i])
  if (!same) {
    throw new ShapeError(`images in ${images.file}`, `${expected.join('x')} (the model's input)`, images.itemShape.join('x'), { file: images.file })
  }
}

/**
 * Loads an IDX image file and its label file as a data set, validating that the counts match and
 * every label lies in [0, classes).
 *
 * @param classes C: labels must be < C
 * @param itemShape when given, the images must have this shape (the model's input)
 * @throws {InputError} for a missing file or a label out of range (naming the file, index and value).
 * @throws {ShapeError} when counts differ or images have the wrong size.
 * @throws {FormatError} for a corrupt file.
 * @example
 * ```ts
 * const test = loadIdxDataset('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 10, [28, 28, 1])
 * ```
 */
export function loadIdxDataset(imagesPath: string, labelsPath: string, classes: number, itemShape?: readonly number[]): Dataset {
  const images = readIdxImages(imagesPath)
  if (itemShape !== undefined) assertImageShape(images, itemShape)
  const labels = readIdxLabels(labelsPath)
  if (labels.length !== images.count) {
    throw new ShapeError(`labels in ${labelsPath}`, `${images.count} labels (one per image in ${imagesPath})`, `${labels.length} labels`)
  }
  const bad = labels.findIndex((label) => label >= classes)
  if (bad >= 0) {
    throw new InputError(`label ${labels[bad]} of item ${bad} in ${labelsPath} is out of range: labels must be in [0, ${classes})`, {
      file: labelsPath,
      index: bad,
      label: labels[bad] as number,
      classes,
    })
  }
  return { name: basename(imagesPath), images: images.images, labels, count: images.count, itemShape: images.itemShape, classes }
}
