import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { ShapeError } from '@sd-dropout/sdk'

/**
 * Runs a backbone in inference mode over `count` items and returns h (output 0), N x D row-major.
 * Items go through in batches so memory stays bounded.
 *
 * @param model a backbone whose first output is h, [B, D]
 * @param images count x prod(itemShape) values, item-major
 * @param itemShape e.g. [28, 28, 1]
 * @throws {ShapeError} when `images` does not hold `count` items of `itemShape`.
 * @example
 * ```ts
 * const features = forwardFeatures(backbone.model, test.images, test.count, [28, 28, 1])
 * ```
 */
export function forwardFeatures(model: tfl.LayersModel, images: Float32Array, count: number, itemShape: readonly number[], batchSize = 250): Float32Array {
  const size = itemShape.reduce((a, b) => a * b, 1)
  if (images.length !== count * size) throw new ShapeError('images', `${count} items of ${itemShape.join('x')} (${count * size} values)`, `${images.length} values`)
  let features: Float32Array | undefined
  let featureDim = 0
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start)
    const batch = tf.tidy(() => {
      const x = tf.tensor(images.subarray(start * size, (start + n) * size), [n, ...itemShape])
      const out = model.apply(x, { training: false })
      return (Array.isArray(out) ? out[0] : out) as tf.Tensor2D
    })
    const values = batch.dataSync() as Float32Array
    featureDim = batch.shape[1]
    batch.dispose()
    features ??= new Float32Array(count * featureDim)
    features.set(values, start * featureDim)
  }
  return features ?? new Float32Array(0)
}
