import { ShapeError } from '@sd-dropout/sdk'

/** Rotations of the self-supervised task: 0, 90, 180 and 270 degrees. */
export const ROTATIONS = 4

/**
 * The batch followed by its copies rotated by 90, 180 and 270 degrees counter-clockwise (as
 * `torch.rot90(x, r, dims=(H, W))`): block r (items r * B .. r * B + B - 1) holds every item turned
 * r quarter turns, so the B originals come first. Rotating by one quarter turn maps
 * out[i][j] = in[j][N - 1 - i] for an N x N image (every channel alike).
 *
 * @param images count x N x N x channels values, item-major
 * @param itemShape [N, N, channels]
 * @returns 4 count x N x N x channels values
 * @throws {ShapeError} for non-square or non-image items.
 * @example
 * ```ts
 * rotatedCopies(Float32Array.of(1, 2, 3, 4), 1, [2, 2, 1]) // [1,2,3,4, 2,4,1,3, 4,3,2,1, 3,1,4,2]
 * ```
 */
export function rotatedCopies(images: Float32Array, count: number, itemShape: readonly number[]): Float32Array {
  const [height = 0, width = 0, channels = 1] = itemShape
  if (itemShape.length !== 3 || height !== width || height < 1) throw new ShapeError('lsskd input', 'square images [N, N, channels] (rotated by quarter turns)', `[${itemShape.join(', ')}]`)
  const size = height * width * channels
  if (images.length !== count * size) throw new ShapeError('lsskd batch', `${count} items of ${size} values`, `${images.length} values`)
  const out = new Float32Array(ROTATIONS * images.length)
  out.set(images, 0)
  const n = height
  for (let r = 1; r < ROTATIONS; r++) {
    for (let item = 0; item < count; item++) {
      const source = item * size
      const target = (r * count + item) * size
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          // (y, x) of the source pixel that lands on (i, j) after r quarter turns counter-clockwise
          const [y, x] = r === 1 ? [j, n - 1 - i] : r === 2 ? [n - 1 - i, n - 1 - j] : [n - 1 - j, i]
          for (let c = 0; c < channels; c++) out[target + (i * n + j) * channels + c] = images[source + (y * n + x) * channels + c] as number
        }
      }
    }
  }
  return out
}

/**
 * Joint labels of the self-supervised augmented task (class x rotation, Yang et al.'s HSAKD and
 * LSSKD): row r * B + i of {@link rotatedCopies}' batch has label y_i * 4 + r, one of 4 C classes.
 *
 * @example
 * ```ts
 * jointLabels(Int32Array.of(2, 0)) // [8, 0, 9, 1, 10, 2, 11, 3]
 * ```
 */
export function jointLabels(labels: Int32Array): Int32Array {
  const out = new Int32Array(ROTATIONS * labels.length)
  for (let r = 0; r < ROTATIONS; r++) labels.forEach((label, i) => (out[r * labels.length + i] = label * ROTATIONS + r))
  return out
}
