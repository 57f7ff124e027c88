import { deriveSeed } from '@sd-dropout/sdk'

/**
 * Distribution shifts `evaluate --shift` applies to test images in [0, 1] pixel space, each at
 * severities 1 to 5 (in the spirit of Hendrycks & Dietterich 2019, "Benchmarking neural network
 * robustness to common corruptions"; parameters chosen for 28 x 28 and 32 x 32 images):
 * - `noise`: additive Gaussian noise of standard deviation sigma, clipped to [0, 1];
 * - `blur`: Gaussian blur of standard deviation sigma pixels (separable, edges replicated);
 * - `contrast`: x -> (x - m) c + m with m the item's mean pixel (contrast scaled by c);
 * - `rotation`: rotation about the centre by +-theta degrees (sign drawn per item), bilinear, 0 fill.
 */
export const CORRUPTION_NAMES = ['noise', 'blur', 'contrast', 'rotation'] as const

/** One of {@link CORRUPTION_NAMES}. */
export type CorruptionName = (typeof CORRUPTION_NAMES)[number]

/** The parameter of each corruption at severities 1..5: sigma, sigma (pixels), c, theta (degrees). */
export const CORRUPTION_SEVERITIES: Readonly<Record<CorruptionName, readonly [number, number, number, number, number]>> = {
  noise: [0.1, 0.2, 0.3, 0.4, 0.5],
  blur: [0.5, 0.75, 1, 1.5, 2],
  contrast: [0.6, 0.4, 0.3, 0.2, 0.1],
  rotation: [10, 20, 30, 45, 60],
}

/** Seed of every corruption's random draws (fixed, so every evaluation sees the same shifted sets). */
export const CORRUPTION_SEED = 0x5ea1ed

/**
 * Applies a corruption to `count` images (HWC, item-major, values in [0, 1]); returns a new array.
 * Random draws (noise, rotation sign) come from `deriveSeed(seed, ...)` keyed on the item and pixel,
 * so the result is reproducible and independent of batching.
 *
 * @param parameter sigma (`noise`, `blur`), c (`contrast`) or theta in degrees (`rotation`): see {@link CORRUPTION_SEVERITIES}
 * @param shape [height, width, channels]
 * @example
 * ```ts
 * const blurred = corruptImages('blur', test.images, test.count, [28, 28, 1], CORRUPTION_SEVERITIES.blur[2])
 * ```
 */
export function corruptImages(name: CorruptionName, images: Float32Array, count: number, shape: readonly number[], parameter: number, seed = CORRUPTION_SEED): Float32Array {
  const [height = 0, width = 0, channels = 1] = shape
  switch (name) {
    case 'noise':
      return addGaussianNoise(images, parameter, seed)
    case 'blur':
      return gaussianBlur(images, count, height, width, channels, parameter)
    case 'contrast':
      return scaleContrast(images, count, height * width * channels, parameter)
    case 'rotation':
      return rotate(images, count, height, width, channels, parameter, seed)
  }
}

function addGaussianNoise(images: Float32Array, sigma: number, seed: number): Float32Array {
  const out = new Float32Array(images.length)
  for (let k = 0; k < images.length; k++) {
    // Box-Muller from two counter-based uniforms in (0, 1]
    const u1 = (deriveSeed(seed, 2 * k) + 1) / 0x100000000
    const u2 = deriveSeed(seed, 2 * k + 1) / 0x100000000
    const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2)
    out[k] = Math.min(1, Math.max(0, (images[k] as number) + sigma * z))
  }
  return out
}

function gaussianBlur(images: Float32Array, count: number, height: number, width: number, channels: number, sigma: number): Float32Array {
  const radius = Math.max(1, Math.ceil(3 * sigma))
  const weights = Array.from({ length: 2 * radius + 1 }, (_, j) => Math.exp(-((j - radius) ** 2) / (2 * sigma * sigma)))
  const total = weights.reduce((a, b) => a + b, 0)
  const kernel = weights.map((w) => w / total)
  const size = height * width * channels
  const rows = new Float32Array(images.length)
  const out = new Float32Array(images.length)
  const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v))
  for (let i = 0; i < count; i++) {
    const base = i * size
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++) {
          let sum = 0
          for (let j = -radius; j <= radius; j++) sum += (kernel[j + radius] as number) * (images[base + (y * width + clamp(x + j, width)) * channels + c] as number)
          rows[base + (y * width + x) * channels + c] = sum
        }
      }
    }
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++) {
          let sum = 0
          for (let j = -radius; j <= radius; j++) sum += (kernel[j + radius] as number) * (rows[base + (clamp(y + j, height) * width + x) * channels + c] as number)
          out[base + (y * width + x) * channels + c] = sum
        }
      }
    }
  }
  return out
}

function scaleContrast(images: Float32Array, count: number, size: number, factor: number): Float32Array {
  const out = new Float32Array(images.length)
  for (let i = 0; i < count; i++) {
    let mean = 0
    for (let k = 0; k < size; k++) mean += images[i * size + k] as number
    mean /= size
    for (let k = 0; k < size; k++) out[i * size + k] = ((images[i * size + k] as number) - mean) * factor + mean
  }
  return out
}

function rotate(images: Float32Array, count: number, height: number, width: number, channels: number, degrees: number, seed: number): Float32Array {
  const out = new Float32Array(images.length)
  const size = height * width * channels
  const cy = (height - 1) / 2
  const cx = (width - 1) / 2
  const at = (base: number, y: number, x: number, c: number): number => (y < 0 || y >= height || x < 0 || x >= width ? 0 : (images[base + (y * width + x) * channels + c] as number))
  for (let i = 0; i < count; i++) {
    const angle = ((deriveSeed(seed, i) & 1) === 0 ? 1 : -1) * ((degrees * Math.PI) / 180)
    const cos = Math.cos(angle)
    const sin = Math.sin(angle)
    const base = i * size
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        // the source position that lands on (y, x): rotate back by -angle
        const sx = cos * (x - cx) + sin * (y - cy) + cx
        const sy = -sin * (x - cx) + cos * (y - cy) + cy
        const x0 = Math.floor(sx)
        const y0 = Math.floor(sy)
        const fx = sx - x0
        const fy = sy - y0
        for (let c = 0; c < channels; c++) {
          const top = at(base, y0, x0, c) * (1 - fx) + at(base, y0, x0 + 1, c) * fx
          const bottom = at(base, y0 + 1, x0, c) * (1 - fx) + at(base, y0 + 1, x0 + 1, c) * fx
          out[base + (y * width + x) * channels + c] = top * (1 - fy) + bottom * fy
        }
      }
    }
  }
  return out
}
