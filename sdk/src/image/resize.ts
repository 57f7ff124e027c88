import type { Plane } from './plane.js'

/**
 * Resizes a plane to `width x height`, separably per axis: shrinking averages the covered source
 * area (a box filter, like OpenCV's INTER_AREA, so thin strokes survive), growing interpolates
 * linearly between pixel centres (bilinear with half-pixel centres).
 *
 * @example
 * ```ts
 * resizePlane(plane, 28, 28)
 * ```
 */
export function resizePlane(plane: Plane, width: number, height: number): Plane {
  if (plane.width === width && plane.height === height) return plane
  const horizontal = resample(plane, width, plane.height, plane.width, 'x')
  return resample(horizontal, width, height, plane.height, 'y')
}

function resample(source: Plane, width: number, height: number, sourceLength: number, axis: 'x' | 'y'): Plane {
  const targetLength = axis === 'x' ? width : height
  const { offsets, weights, taps } = filterWeights(sourceLength, targetLength)
  const channels = source.channels
  const data = new Float32Array(width * height * channels)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = axis === 'x' ? x : y
      const start = offsets[i] as number
      for (let c = 0; c < channels; c++) {
        let sum = 0
        for (let k = 0; k < taps; k++) {
          const w = weights[i * taps + k] as number
          if (w === 0) continue
          const s = start + k
          const index = axis === 'x' ? (y * source.width + s) * channels + c : (s * source.width + x) * channels + c
          sum += w * (source.data[index] as number)
        }
        data[(y * width + x) * channels + c] = sum
      }
    }
  }
  return { width, height, channels, data }
}

function filterWeights(sourceLength: number, targetLength: number): { offsets: Int32Array; weights: Float64Array; taps: number } {
  const scale = sourceLength / targetLength
  const taps = Math.ceil(scale) + 2
  const offsets = new Int32Array(targetLength)
  const weights = new Float64Array(targetLength * taps)
  for (let i = 0; i < targetLength; i++) {
    // Shrinking: each output pixel averages the source interval [i * scale, (i + 1) * scale) (box /
    // area filter). Growing: linear interpolation between the two nearest pixel centres.
    const low = scale > 1 ? i * scale : (i + 0.5) * scale - 1
    const high = scale > 1 ? (i + 1) * scale : (i + 0.5) * scale + 1
    const start = Math.max(0, Math.floor(low))
    const end = Math.min(sourceLength, Math.ceil(high))
    offsets[i] = start
    let total = 0
    for (let s = start; s < end && s - start < taps; s++) {
      const w = scale > 1 ? Math.max(0, Math.min(s + 1, high) - Math.max(s, low)) : Math.max(0, 1 - Math.abs(s + 0.5 - (i + 0.5) * scale))
      weights[i * taps + (s - start)] = w
      total += w
    }
    if (total > 0) for (let k = 0; k < taps; k++) weights[i * taps + k] = (weights[i * taps + k] as number) / total
  }
  return { offsets, weights, taps }
}
