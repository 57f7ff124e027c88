import { deriveSeed } from '@sd-dropout/sdk'

/**
 * Light augmentation for digits: translates each image by (dy, dx) in [-maxShift, maxShift]^2
 * pixels, filling with 0 (background), with the shift of item i drawn from
 * `deriveSeed(seed, i)` (reproducible, no RNG state).
 *
 * @param images count x height x width x channels values, item-major (not modified)
 * @param shape [height, width, channels]
 * @param seed e.g. `deriveSeed(augmentSeed, step)`
 * @example
 * ```ts
 * const shifted = shiftImages(batch, 128, [28, 28, 1], deriveSeed(seed, step))
 * ```
 */
export function shiftImages(images: Float32Array, count: number, shape: readonly number[], seed: number, maxShift = 2): Float32Array {
  const [height = 0, width = 0, channels = 1] = shape
  const size = height * width * channels
  const out = new Float32Array(images.length)
  const span = 2 * maxShift + 1
  for (let i = 0; i < count; i++) {
    const hash = deriveSeed(seed, i)
    const dy = (hash % span) - maxShift
    const dx = (Math.floor(hash / span) % span) - maxShift
    const base = i * size
    for (let y = 0; y < height; y++) {
      const sy = y - dy
      if (sy < 0 || sy >= height) continue
      for (let x = 0; x < width; x++) {
        const sx = x - dx
        if (sx < 0 || sx >= width) continue
        for (let c = 0; c < channels; c++) out[base + (y * width + x) * channels + c] = images[base + (sy * width + sx) * channels + c] as number
      }
    }
  }
  return out
}
