import type { Plane } from './plane.js'
import { resizePlane } from './resize.js'

/** Ink above this fraction of the brightest pixel counts for the bounding box. */
const INK_THRESHOLD = 0.1

/**
 * MNIST-style normalisation (LeCun et al. 1998): crop to the ink's bounding box, scale it so its
 * longer side is 20 pixels keeping the aspect ratio, and place it in a 28 x 28 field so that its
 * centre of mass (intensity-weighted, over all channels) sits at the field's centre, (14, 14),
 * clamped so the digit stays inside. Expects light ink on a dark background (invert first if not).
 * A blank image becomes a blank 28 x 28 field.
 *
 * @example
 * ```ts
 * const digit = centerLikeMnist(toPlane(decodeImage(bytes), 1))
 * ```
 */
export function centerLikeMnist(plane: Plane): Plane {
  const { width, height, channels } = plane
  const field: Plane = { width: 28, height: 28, channels, data: new Float32Array(28 * 28 * channels) }
  const ink = intensity(plane)
  let max = 0
  for (const v of ink) if (v > max) max = v
  if (max <= 0) return field
  let left = width
  let right = -1
  let top = height
  let bottom = -1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if ((ink[y * width + x] as number) > INK_THRESHOLD * max) {
        left = Math.min(left, x)
        right = Math.max(right, x)
        top = Math.min(top, y)
        bottom = Math.max(bottom, y)
      }
    }
  }
  const boxWidth = right - left + 1
  const boxHeight = bottom - top + 1
  const crop = new Float32Array(boxWidth * boxHeight * channels)
  for (let y = 0; y < boxHeight; y++) {
    const from = ((top + y) * width + left) * channels
    crop.set(plane.data.subarray(from, from + boxWidth * channels), y * boxWidth * channels)
  }
  const factor = 20 / Math.max(boxWidth, boxHeight)
  const scaled = resizePlane(
    { width: boxWidth, height: boxHeight, channels, data: crop },
    Math.max(1, Math.round(boxWidth * factor)),
    Math.max(1, Math.round(boxHeight * factor)),
  )
  const [comX, comY] = centreOfMass(scaled)
  const offsetX = clamp(Math.round(14 - comX), 0, 28 - scaled.width)
  const offsetY = clamp(Math.round(14 - comY), 0, 28 - scaled.height)
  for (let y = 0; y < scaled.height; y++) {
    const from = y * scaled.width * channels
    field.data.set(scaled.data.subarray(from, from + scaled.width * channels), ((offsetY + y) * 28 + offsetX) * channels)
  }
  return field
}

function intensity(plane: Plane): Float32Array {
  const out = new Float32Array(plane.width * plane.height)
  for (let i = 0; i < out.length; i++) {
    let sum = 0
    for (let c = 0; c < plane.channels; c++) sum += plane.data[i * plane.channels + c] as number
    out[i] = sum / plane.channels
  }
  return out
}

/** Intensity-weighted centre of mass in pixel-centre coordinates (x + 0.5, y + 0.5). */
function centreOfMass(plane: Plane): [number, number] {
  const ink = intensity(plane)
  let mass = 0
  let sx = 0
  let sy = 0
  for (let y = 0; y < plane.height; y++) {
    for (let x = 0; x < plane.width; x++) {
      const v = ink[y * plane.width + x] as number
      mass += v
      sx += v * (x + 0.5)
      sy += v * (y + 0.5)
    }
  }
  return mass > 0 ? [sx / mass, sy / mass] : [plane.width / 2, plane.height / 2]
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high)
}
