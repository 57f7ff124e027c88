import { deriveSeed } from '@sd-dropout/sdk'
import { shiftImages } from './augment-shift.js'
import { flipImagesHorizontally } from './augment-flip.js'

/**
 * On-the-fly augmentations of a training batch:
 * - `none`;
 * - `shift`: translate by up to 2 pixels (zero fill), for digits;
 * - `crop`: padded random crop, i.e. pad by {@link CROP_PADDING} pixels of zeros and cut a window of
 *   the original size at a random offset (the same as a translation by up to the padding);
 * - `flip`: mirror left-right with probability 1/2, for natural images (never for digits);
 * - `crop-flip`: both, the usual CIFAR recipe (He et al. 2016).
 */
export const AUGMENTATION_NAMES = ['none', 'shift', 'crop', 'flip', 'crop-flip'] as const

/** One of {@link AUGMENTATION_NAMES}. */
export type AugmentationName = (typeof AUGMENTATION_NAMES)[number]

/** Zero padding of `crop` (pixels per side), as in the CIFAR recipe for 32 x 32 images. */
export const CROP_PADDING = 4

/** Largest translation of `shift` (pixels). */
export const SHIFT_PIXELS = 2

/** Sub-stream of the batch seed that draws the flips (the translation uses the seed itself). */
const FLIP_STREAM = 0x666c6970

/**
 * Augments a batch reproducibly: every draw comes from the counter-based hash of the shared mask
 * generator keyed on (seed, item), so the same step of the same run sees the same images on every
 * backend and a resumed run needs no RNG state. The input is not modified. Values outside the image
 * after a translation are filled with 0 (in model space: the background for [0, 1] pixels, the
 * per-channel mean when inputs are normalised).
 *
 * @param images count x height x width x channels values, item-major
 * @param shape [height, width, channels]
 * @param seed e.g. `deriveSeed(augmentSeed, step)`
 * @example
 * ```ts
 * const input = augmentBatch('crop-flip', batch, 128, [32, 32, 3], deriveSeed(augmentSeed, step))
 * ```
 */
export function augmentBatch(name: AugmentationName, images: Float32Array, count: number, shape: readonly number[], seed: number): Float32Array {
  switch (name) {
    case 'none':
      return images
    case 'shift':
      return shiftImages(images, count, shape, seed, SHIFT_PIXELS)
    case 'crop':
      return shiftImages(images, count, shape, seed, CROP_PADDING)
    case 'flip':
      return flipImagesHorizontally(images, count, shape, deriveSeed(seed, FLIP_STREAM))
    case 'crop-flip':
      return flipImagesHorizontally(shiftImages(images, count, shape, seed, CROP_PADDING), count, shape, deriveSeed(seed, FLIP_STREAM))
  }
}
