import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { ShapeError, type InputSpec } from '@sd-dropout/sdk'

/** The linear head z = hW + b (W [D, C] feature-major, as in bundles). */
export interface HeadWeights {
  readonly weight: Float32Array
  readonly bias: Float32Array
  readonly featureDim: number
  readonly classes: number
}

/** Per-channel limits of valid inputs in model space, and the model-space size of one unit of pixel intensity. */
export interface InputBounds {
  /** Model-space value of pixel 0 and of pixel 1 (x = 255 * scale) per channel. */
  readonly lower: readonly number[]
  readonly upper: readonly number[]
  /** d x_model / d x_pixel per channel: 255 * scale / std. */
  readonly unit: readonly number[]
}

/**
 * The valid range of an image model's inputs, per channel, in model space: pixels in [0, 1] map to
 * [(0 - mean) / std, (255 scale - mean) / std]. Null for `vector` models (no range: FGSM then steps
 * by epsilon in feature units and does not clip).
 *
 * @example
 * ```ts
 * inputBounds(model.info.input) // { lower: [0], upper: [1], unit: [1] } for the MNIST model
 * ```
 */
export function inputBounds(spec: InputSpec): InputBounds | null {
  const image = spec.image
  if (image === null) return null
  const top = 255 * image.scale
  return {
    lower: image.mean.map((m, c) => -m / (image.std[c] as number)),
    upper: image.mean.map((m, c) => (top - m) / (image.std[c] as number)),
    unit: image.std.map((s) => top / s),
  }
}

/**
 * Fast gradient sign method (Goodfellow, Shlens, Szegedy 2015, "Explaining and harnessing
 * adversarial examples"): x_adv = clip(x + epsilon sign(grad_x CE(z(x), y)), valid range), with
 * z(x) = backbone(x) W + b the deterministic logits (no dropout, T = 1) and the gradient taken by
 * tfjs autodiff through the backbone in inference mode. Epsilon is in pixel units ([0, 1] images;
 * e.g. 0.1 = 25.5 grey levels), converted per channel to model space; inputs stay valid images.
 *
 * @param images count x prod(itemShape) model-space inputs, item-major (not modified)
 * @param bounds from {@link inputBounds}; null = no clipping, epsilon in input units
 * @throws {ShapeError} when `images` does not hold `labels.length` items of `itemShape`.
 * @example
 * ```ts
 * const adversarial = fgsmExamples(backbone, head, test.images, test.labels, [28, 28, 1], 0.1, inputBounds(input))
 * ```
 */
export function fgsmExamples(
  backbone: tfl.LayersModel,
  head: HeadWeights,
  images: Float32Array,
  labels: Int32Array,
  itemShape: readonly number[],
  epsilon: number,
  bounds: InputBounds | null,
  batchSize = 100,
): Float32Array {
  const size = itemShape.reduce((a, b) => a * b, 1)
  const count = labels.length
  if (images.length !== count * size) throw new ShapeError('FGSM inputs', `${count} items of ${itemShape.join('x')}`, `${images.length} values`)
  const channels = bounds === null ? 1 : bounds.lower.length
  const out = new Float32Array(images.length)
  const weight = tf.tensor2d(head.weight, [head.featureDim, head.classes])
  const bias = tf.tensor1d(head.bias)
  try {
    const loss = (onehot: tf.Tensor2D) => (x: tf.Tensor): tf.Scalar =>
      tf.losses.softmaxCrossEntropy(onehot, tf.add(tf.matMul(backbone.apply(x, { training: false }) as tf.Tensor2D, weight), bias), undefined, undefined, tf.Reduction.SUM)
    for (let start = 0; start < count; start += batchSize) {
      const n = Math.min(batchSize, count - start)
      const gradient = tf.tidy(() => {
        const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels.subarray(start, start + n), 'int32'), head.classes), 'float32') as tf.Tensor2D
        const x = tf.tensor(images.subarray(start * size, (start + n) * size), [n, ...itemShape])
        return tf.sign(tf.grad(loss(onehot))(x))
      })
      const signs = gradient.dataSync()
      gradient.dispose()
      for (let k = 0; k < n * size; k++) {
        const at = start * size + k
        const c = k % channels
        const stepped = (images[at] as number) + epsilon * (bounds === null ? 1 : (bounds.unit[c] as number)) * (signs[k] as number)
        out[at] = bounds === null ? stepped : Math.min(bounds.upper[c] as number, Math.max(bounds.lower[c] as number, stepped))
      }
    }
  } finally {
    weight.dispose()
    bias.dispose()
  }
  return out
}
