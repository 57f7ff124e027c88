import { OptionError, ShapeError, type ModelInfo } from '@sd-dropout/sdk'
import { loadDataSource } from '../data/data-source.js'
import type { Dataset } from '../data/dataset.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { toModelSpace } from '../data/model-space.js'
import { dataSourceFromOptions } from './data-options.js'
import type { OptionValues } from './option-spec.js'

/**
 * Loads the labelled test set `evaluate`'s data flags name, for a loaded model, in its input
 * space: the built-in mnist test split, or the user's files, with classes mapped onto the model's
 * labels (image folders and text CSV labels by name, the other formats by index), images of a
 * folder resized to the model's input by the SDK's image path, and every image mapped through the
 * bundle's normalisation (`toModelSpace`).
 *
 * @throws {OptionError} for flags that do not fit `--data` or a missing test file flag; the readers'
 *   typed errors for bad files; {ShapeError} when the items do not fit the model's input.
 * @example
 * ```ts
 * const test = loadTestSet({ data: 'cifar10', 'test-data': ['test_batch.bin'] }, model.info)
 * ```
 */
export function loadTestSet(values: OptionValues, info: ModelInfo): Dataset {
  const image = info.input.image
  const decoding = image === null ? {} : { height: image.height, width: image.width, channels: image.channels, invert: image.invert, mnistCentering: image.mnistCentering }
  const source = dataSourceFromOptions(values, 'test', decoding)
  let data: Dataset
  if (source === null) {
    if (values.data === 'mnist') data = loadMnistSplit().test
    else throw new OptionError('--data', values.data === 'idx' ? 'idx needs --test-images and --test-labels' : `${String(values.data)} needs --test-data`)
  } else {
    data = loadDataSource(source, { labels: info.labels, ...(image === null ? {} : { itemShape: [image.height, image.width, image.channels] }) })
  }
  return conformToInput(data, info)
}

/**
 * A data set whose items fit a model's input: the same shape, or (a flat model of images, e.g.
 * input [784] for 28 x 28 x 1 digits) the image shape of its preprocessing, reshaped; then mapped
 * to model space.
 *
 * @throws {ShapeError} naming the data when the items do not fit.
 * @example
 * ```ts
 * const inputs = conformToInput(digits, model.info) // itemShape = model.info.input.shape
 * ```
 */
export function conformToInput(data: Dataset, info: ModelInfo): Dataset {
  const { input } = info
  const image = input.image
  const same = data.itemShape.join('x') === input.shape.join('x')
  const asImage = image !== null && data.itemShape.join('x') === [image.height, image.width, image.channels].join('x')
  if (!same && !asImage) throw new ShapeError(`items of ${data.name}`, `${input.shape.join('x')} (the model's input)`, data.itemShape.join('x'))
  return { ...data, itemShape: input.shape, images: toModelSpace(data.images, input) }
}
