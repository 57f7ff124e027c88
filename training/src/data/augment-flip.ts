import { deriveSeed } from '@sd-dropout/sdk'

/**
 * Mirrors each image left-right with probability 1/2: item i is flipped when the lowest bit of
 * `deriveSeed(seed, i)` is 1 (reproducible, no RNG state). Returns a new array.
 *
 * @param images count x height x width x channels values, item-major (not modified)
 * @param shape [height, width, channels]
 * @example
 * ```ts
 * const flipped = flipImagesHorizontally(batch, 128, [32, 32, 3], deriveSeed(seed, step))
 * ```
 */
export function flipImagesHorizontally(images: Float32Array, count: number, shape: readonly number[], seed: number): Float32Array {
  const [height = 0, width = 0, channels = 1] = shape
  const size = height * width * channels
  const out = Float32Array.from(images)
  for (let i = 0; i < count; i++) {
    if ((deriveSeed(seed, i) & 1) === 0) continue
    const base = i * size
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const target = base + (y * width + x) * channels
        const source = base + (y * width + (width - 1 - x)) * channels
        for (let c = 0; c < channels; c++) out[target + c] = images[source + c] as number
      }
    }
  }
  return out
}
