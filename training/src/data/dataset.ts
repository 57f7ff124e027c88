/**
 * A labelled data set in memory: `count` items of `itemShape` (e.g. [28, 28, 1], values in [0, 1])
 * stored item-major in one Float32Array, with integer class labels in [0, classes).
 */
export interface Dataset {
  /** Human-readable name, e.g. `mnist/train` or the IDX file name. */
  readonly name: string
  /** count x prod(itemShape) values, item-major. */
  readonly images: Float32Array
  /** count labels in [0, classes). */
  readonly labels: Int32Array
  readonly count: number
  readonly itemShape: readonly number[]
  readonly classes: number
}

/**
 * Values per item: the product of `itemShape`.
 *
 * @example
 * ```ts
 * itemSize({ itemShape: [28, 28, 1] }) // 784
 * ```
 */
export function itemSize(dataset: Pick<Dataset, 'itemShape'>): number {
  return dataset.itemShape.reduce((a, b) => a * b, 1)
}

/**
 * A data set of the items at `indices` (in that order), copied.
 *
 * @example
 * ```ts
 * const firstHundred = subset(train, Array.from({ length: 100 }, (_, i) => i), 'train/100')
 * ```
 */
export function subset(dataset: Dataset, indices: ArrayLike<number>, name = dataset.name): Dataset {
  const size = itemSize(dataset)
  const images = new Float32Array(indices.length * size)
  const labels = new Int32Array(indices.length)
  for (let i = 0; i < indices.length; i++) {
    const source = indices[i] as number
    images.set(dataset.images.subarray(source * size, (source + 1) * size), i * size)
    labels[i] = dataset.labels[source] as number
  }
  return { name, images, labels, count: indices.length, itemShape: dataset.itemShape, classes: dataset.classes }
}
