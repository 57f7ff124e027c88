import * as tf from '@tensorflow/tfjs-core'

/**
 * The identity whose gradient is zero (tfjs has no `stopGradient`; `tf.customGrad` with a zero
 * gradient gives it): the value of `x` flows forward, nothing flows back. Used for detached
 * distillation targets.
 *
 * @example
 * ```ts
 * const target = stopGradient(logits) // same values; d(target)/d(logits) = 0
 * ```
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stopGradientOp(x) as T
}

const stopGradientOp: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}))
