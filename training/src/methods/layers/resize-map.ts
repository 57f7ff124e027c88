import * as tf from '@tensorflow/tfjs-core'

/**
 * How {@link resizeMap} halves a map: FRSKD's 3 x 3 stride-2 max pool with same padding
 * (`MaxPool2dStaticSamePadding(3, 2)`), or a 2 x 2 average (cheaper on wasm, whose max-pool
 * gradient is a slow kernel).
 */
export type Downsampling = 'max-pool-3x3' | 'average-2x2'

/**
 * Brings a feature map to another spatial size the way a feature pyramid moves between levels:
 * larger targets by nearest-neighbour upsampling (an exact 2x copy when the size doubles, as
 * `nn.Upsample(scale_factor=2, mode='nearest')`), smaller ones by halving (`downsampling`)
 * while the map is at least twice the target, then nearest resizing for any remaining mismatch
 * (odd sizes).
 *
 * @param x [B, H, W, C]
 * @param height target height
 * @param width target width
 * @example
 * ```ts
 * resizeMap(level3, 14, 14) // [B, 7, 7, C] -> [B, 14, 14, C]
 * ```
 */
export function resizeMap(x: tf.Tensor4D, height: number, width: number, downsampling: Downsampling = 'max-pool-3x3'): tf.Tensor4D {
  return tf.tidy(() => {
    let y = x
    while (y.shape[1] >= 2 * height && y.shape[2] >= 2 * width && (y.shape[1] > height || y.shape[2] > width)) y = halve(y, downsampling)
    if (y.shape[1] !== height || y.shape[2] !== width) y = tf.image.resizeNearestNeighbor(y, [height, width])
    return y
  })
}

function halve(x: tf.Tensor4D, downsampling: Downsampling): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape
  if (downsampling === 'max-pool-3x3') return tf.maxPool(x, 3, 2, 'same')
  if (height % 2 === 0 && width % 2 === 0) return tf.mean<tf.Tensor4D>(tf.reshape(x, [batch, height / 2, 2, width / 2, 2, channels]), [2, 4])
  return tf.avgPool(x, 2, 2, 'same')
}
