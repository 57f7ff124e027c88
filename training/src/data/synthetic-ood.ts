import { deriveSeed, type InputSpec } from '@sd-dropout/sdk'
import { itemSize, type Dataset } from './dataset.js'
import { fromModelSpace, isIdentityTransform, toModelSpace } from './model-space.js'
import { seededPermutation } from './seeded-permutation.js'

/** Out-of-distribution sets made offline from nothing or from in-distribution images. */
export const SYNTHETIC_OOD_NAMES = ['uniform-noise', 'pixel-permuted', 'inverted'] as const

/** One of {@link SYNTHETIC_OOD_NAMES}. */
export type SyntheticOodName = (typeof SYNTHETIC_OOD_NAMES)[number]

/** Images without labels (an OOD set). */
export interface ImageSet {
  readonly name: string
  readonly images: Float32Array
  readonly count: number
  readonly itemShape: readonly number[]
}

/** Seed of every synthetic OOD set (fixed, so every evaluation sees the same sets). */
export const SYNTHETIC_OOD_SEED = 0x00d5e7

/**
 * A synthetic OOD set of `count` items shaped like `source`'s:
 * - `uniform-noise`: every pixel uniform in [0, 1] (`deriveSeed(seed, i) / 2^32`);
 * - `pixel-permuted`: the first `count` source images with one fixed random permutation of pixel
 *   positions (same ink statistics, no digit shape);
 * - `inverted`: the first `count` source images as 1 - x (white background).
 *
 * @example
 * ```ts
 * const noise = syntheticOodSet('uniform-noise', test, 1000)
 * ```
 */
export function syntheticOodSet(name: SyntheticOodName, source: Dataset, count = Math.min(1000, source.count)): ImageSet {
  const size = itemSize(source)
  const n = name === 'uniform-noise' ? count : Math.min(count, source.count)
  const images = new Float32Array(n * size)
  const seed = deriveSeed(SYNTHETIC_OOD_SEED, SYNTHETIC_OOD_NAMES.indexOf(name))
  switch (name) {
    case 'uniform-noise':
      for (let i = 0; i < images.length; i++) images[i] = deriveSeed(seed, i) / 0x100000000
      break
    case 'pixel-permuted': {
      const order = seededPermutation(size, seed)
      for (let item = 0; item < n; item++) {
        for (let j = 0; j < size; j++) images[item * size + j] = source.images[item * size + (order[j] as number)] as number
      }
      break
    }
    case 'inverted':
      for (let i = 0; i < images.length; i++) images[i] = 1 - (source.images[i] as number)
      break
  }
  return { name, images, count: n, itemShape: source.itemShape }
}

/**
 * {@link syntheticOodSet} for data in a model's input space: the set is made in [0, 1] pixel space
 * (noise in [0, 1], 1 - x, ...) from the test images mapped back by `fromModelSpace`, then mapped
 * to model space with the bundle's normalisation. For the identity transform (the MNIST bundles)
 * this is `syntheticOodSet` itself, value for value.
 *
 * @param test labelled data already in model space
 * @example
 * ```ts
 * const noise = syntheticOodSetInModelSpace('uniform-noise', test, 1000, model.info.input)
 * ```
 */
export function syntheticOodSetInModelSpace(name: SyntheticOodName, test: Dataset, count: number, input: InputSpec): ImageSet {
  if (isIdentityTransform(input)) return syntheticOodSet(name, test, count)
  const set = syntheticOodSet(name, { ...test, images: fromModelSpace(test.images, input) }, count)
  return { ...set, images: toModelSpace(set.images, input) }
}
