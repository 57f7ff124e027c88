/**
 * A float image in [0, 255] (before scaling), row-major, interleaved channels: the working form of
 * every preprocessing step.
 */
export interface Plane {
  readonly width: number
  readonly height: number
  readonly channels: number
  readonly data: Float32Array
}

/**
 * Converts a decoded image to `channels` float channels: RGB to gray by ITU-R BT.601 luma
 * (0.299 R + 0.587 G + 0.114 B, as PIL's "L" mode), gray to RGB by replication.
 *
 * @example
 * ```ts
 * toPlane({ width: 1, height: 1, channels: 3, data: new Uint8Array([255, 0, 0]) }, 1).data // [76.245]
 * ```
 */
export function toPlane(image: { width: number; height: number; channels: number; data: Uint8Array }, channels: 1 | 3): Plane {
  const pixels = image.width * image.height
  const data = new Float32Array(pixels * channels)
  for (let i = 0; i < pixels; i++) {
    if (image.channels === channels) {
      for (let c = 0; c < channels; c++) data[i * channels + c] = image.data[i * channels + c] as number
    } else if (channels === 1) {
      const r = image.data[i * 3] as number
      const g = image.data[i * 3 + 1] as number
      const b = image.data[i * 3 + 2] as number
      data[i] = 0.299 * r + 0.587 * g + 0.114 * b
    } else {
      const v = image.data[i] as number
      data[i * 3] = v
      data[i * 3 + 1] = v
      data[i * 3 + 2] = v
    }
  }
  return { width: image.width, height: image.height, channels, data }
}
