/** The optimisers fine-tuning offers. */
export type OptimizerName = 'sgd' | 'adam'

/** Settings of a {@link HeadOptimizer}. */
export interface OptimizerSettings {
  readonly optimizer: OptimizerName
  /** Step size (learning rate) > 0. */
  readonly learningRate: number
  /** SGD momentum mu in [0, 1) (ignored by Adam). */
  readonly momentum: number
  /** L2 weight decay >= 0, added to the gradient as wd * theta (PyTorch's coupled form), for every parameter. */
  readonly weightDecay: number
}

/** Adam's fixed constants (Kingma and Ba 2015, and PyTorch's defaults). */
export const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 } as const

/** Updates parameter arrays in place from their gradients; keeps its state (velocities, moments) per array. */
export interface HeadOptimizer {
  /** One update of every parameter array from the gradient of the same index. */
  step(parameters: readonly Float32Array[], gradients: readonly ArrayLike<number>[]): void
}

/**
 * Creates an optimiser for parameter arrays of the given lengths (float64 state):
 * - `sgd` (PyTorch's SGD): d = g + wd theta; v = mu v + d (v starts at 0); theta -= lr v.
 *   With mu = 0 it is plain gradient descent.
 * - `adam` (Kingma and Ba 2015, PyTorch's Adam with L2 decay): d = g + wd theta;
 *   m = b1 m + (1 - b1) d; s = b2 s + (1 - b2) d^2; theta -= lr (m / (1 - b1^t)) / (sqrt(s / (1 - b2^t)) + eps),
 *   with b1 = 0.9, b2 = 0.999, eps = 1e-8 and t the step count.
 *
 * @param sizes the length of each parameter array, in the order `step` receives them
 * @example
 * ```ts
 * const optimizer = createOptimizer({ optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 1e-4 }, [weight.length, bias.length])
 * optimizer.step([weight, bias], [gradient.weightGradient, gradient.biasGradient])
 * ```
 */
export function createOptimizer(settings: OptimizerSettings, sizes: readonly number[]): HeadOptimizer {
  const { learningRate: rate, momentum, weightDecay } = settings
  const first = sizes.map((n) => new Float64Array(n))
  const second = settings.optimizer === 'adam' ? sizes.map((n) => new Float64Array(n)) : []
  let t = 0
  return {
    step(parameters, gradients) {
      t++
      const firstCorrection = 1 - ADAM.beta1 ** t
      const secondCorrection = 1 - ADAM.beta2 ** t
      parameters.forEach((theta, index) => {
        const g = gradients[index] as ArrayLike<number>
        const m = first[index] as Float64Array
        if (settings.optimizer === 'sgd') {
          for (let k = 0; k < theta.length; k++) {
            const v = momentum * (m[k] as number) + (g[k] as number) + weightDecay * (theta[k] as number)
            m[k] = v
            theta[k] = (theta[k] as number) - rate * v
          }
          return
        }
        const s = second[index] as Float64Array
        for (let k = 0; k < theta.length; k++) {
          const d = (g[k] as number) + weightDecay * (theta[k] as number)
          const mk = ADAM.beta1 * (m[k] as number) + (1 - ADAM.beta1) * d
          const sk = ADAM.beta2 * (s[k] as number) + (1 - ADAM.beta2) * d * d
          m[k] = mk
          s[k] = sk
          theta[k] = (theta[k] as number) - (rate * (mk / firstCorrection)) / (Math.sqrt(sk / secondCorrection) + ADAM.epsilon)
        }
      })
    },
  }
}
