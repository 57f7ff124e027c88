import type { InputSpec } from '@sd-dropout/sdk'
import type { ChannelNormalization } from './channel-normalization.js'

/**
 * The bundle's input spec for image data of `itemShape` [height, width, channels] in [0, 1]
 * pixel space: 8-bit images scaled by 1/255, then `(x - mean) / std` per channel when the data were
 * normalised (mean 0, std 1 otherwise), optionally centred like MNIST digits first. The SDK applies
 * exactly this to every PNG/JPEG it is given, so served images land in the model space trained on.
 *
 * @param shape the model's input shape (defaults to `itemShape`; e.g. [784] for a flat model of 28 x 28 x 1 images)
 * @param scale the factor on 8-bit values before `mean` / `std` (1/255: pixels in [0, 1]; 1: a model fed 0..255)
 * @example
 * ```ts
 * imageInputSpec([32, 32, 3], { mean: [0.49, 0.48, 0.45], std: [0.25, 0.24, 0.26] }, false)
 * ```
 */
export function imageInputSpec(itemShape: readonly number[], normalization: ChannelNormalization | null, mnistCentering: boolean, shape: readonly number[] = itemShape, scale = 1 / 255): InputSpec {
  const [height = 0, width = 0, channels = 1] = itemShape
  return {
    shape: [...shape],
    kind: 'image',
    image: {
      channels: channels === 3 ? 3 : 1,
      height,
      width,
      scale,
      mean: normalization === null ? new Array<number>(channels).fill(0) : [...normalization.mean],
      std: normalization === null ? new Array<number>(channels).fill(1) : [...normalization.std],
      invert: false,
      mnistCentering,
    },
  }
}

/**
 * The input spec of numeric feature vectors of `features` values (CSV data): no image path; the
 * SDK feeds numeric inputs to the backbone unchanged.
 *
 * @example
 * ```ts
 * vectorInputSpec(4) // { shape: [4], kind: 'vector', image: null }
 * ```
 */
export function vectorInputSpec(features: number): InputSpec {
  return { shape: [features], kind: 'vector', image: null }
}
