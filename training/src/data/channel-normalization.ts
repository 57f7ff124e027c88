import { InputError } from '@sd-dropout/sdk'

/** Per-channel statistics of images in [0, 1] pixel space (what the bundle's `input.image.mean` / `std` hold). */
export interface ChannelNormalization {
  /** Mean of each channel over every pixel of every item. */
  readonly mean: readonly number[]
  /** Population standard deviation of each channel (1 for a constant channel, so nothing divides by 0). */
  readonly std: readonly number[]
}

/**
 * Per-channel mean and standard deviation of a set of images (HWC, item-major), over every pixel
 * of every item, accumulated in float64: mean_c = sum x / n, std_c = sqrt(sum (x - mean_c)^2 / n).
 * Fitted on the TRAINING split only; validation and test data are normalised with the same numbers,
 * and the bundle stores them so the SDK applies `(x * scale - mean) / std` to images it decodes.
 *
 * @param channels the last dimension of the item shape
 * @throws {InputError} for an empty set.
 * @example
 * ```ts
 * fitChannelNormalization(Float32Array.of(0, 1, 1, 1), 2) // { mean: [0.5, 1], std: [0.5, 1] }
 * ```
 */
export function fitChannelNormalization(images: Float32Array, channels: number): ChannelNormalization {
  const pixels = images.length / channels
  if (pixels === 0) throw new InputError('per-channel normalisation: the training split has no pixels')
  const sum = new Float64Array(channels)
  for (let k = 0; k < images.length; k++) sum[k % channels] = (sum[k % channels] as number) + (images[k] as number)
  const mean = Array.from(sum, (s) => s / pixels)
  const squares = new Float64Array(channels)
  for (let k = 0; k < images.length; k++) {
    const d = (images[k] as number) - (mean[k % channels] as number)
    squares[k % channels] = (squares[k % channels] as number) + d * d
  }
  const std = Array.from(squares, (s) => {
    const value = Math.sqrt(s / pixels)
    return value > 1e-6 ? value : 1
  })
  return { mean, std }
}
