import * as tf from '@tensorflow/tfjs-core'
import { ShapeError } from '@sd-dropout/sdk'

/**
 * The linear head z = hW + b kept outside the backbone (the bundle stores it as raw float32
 * W [D, C] and b [C]; the SDK re-samples it for MC-dropout without re-running the backbone).
 */
export interface LinearHead {
  /** W, [D, C]. */
  readonly weight: tf.Variable
  /** b, [C]. */
  readonly bias: tf.Variable
}

/**
 * Creates a head with PyTorch's `nn.Linear` initialisation: W and b uniform in
 * [-1/sqrt(D), 1/sqrt(D)], seeded.
 *
 * @throws {ShapeError} for D or C < 1.
 * @example
 * ```ts
 * const head = createLinearHead(128, 10, 1)
 * ```
 */
export function createLinearHead(featureDim: number, classes: number, seed: number): LinearHead {
  if (!(featureDim >= 1) || !(classes >= 1)) throw new ShapeError('linear head', 'D >= 1 and C >= 1', `D = ${featureDim}, C = ${classes}`)
  const limit = 1 / Math.sqrt(featureDim)
  return tf.tidy(() => ({
    weight: tf.variable(tf.randomUniform([featureDim, classes], -limit, limit, 'float32', seed), true),
    bias: tf.variable(tf.randomUniform([classes], -limit, limit, 'float32', seed + 1), true),
  }))
}

/**
 * Logits z = hW + b for a batch of features h [B, D]; z is [B, C].
 *
 * @example
 * ```ts
 * const z = headLogits(h, head)
 * ```
 */
export function headLogits(features: tf.Tensor2D, head: LinearHead): tf.Tensor2D {
  return tf.add(tf.matMul(features, head.weight as tf.Tensor2D), head.bias)
}
