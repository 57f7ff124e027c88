import * as tf from '@tensorflow/tfjs-core'
import { OptionError } from '@sd-dropout/sdk'

/** A trainable variable under a stable name (the key of its optimiser state in checkpoints). */
export interface NamedVariable {
  readonly name: string
  readonly variable: tf.Variable
}

/** Optimiser settings, with a literal discriminant. */
export type OptimizerSpec =
  /** SGD with heavy-ball momentum and coupled L2 weight decay (PyTorch `SGD`): v = mu v + (g + wd w); w -= lr v. */
  | { readonly kind: 'sgd'; readonly momentum: number; readonly weightDecay: number }
  /** Adam (Kingma & Ba 2015) with decoupled weight decay (AdamW, Loshchilov & Hutter 2019): w -= lr (m^ / (sqrt(v^) + eps) + wd w). */
  | { readonly kind: 'adam'; readonly beta1: number; readonly beta2: number; readonly epsilon: number; readonly weightDecay: number }

/** The optimiser names the CLI accepts. */
export const OPTIMIZER_NAMES = ['sgd', 'adam'] as const

/** Saved optimiser state: the step count and every slot tensor by `<variable>/<slot>`. */
export interface OptimizerState {
  readonly iterations: number
  readonly slots: Readonly<Record<string, Float32Array>>
}

/**
 * An optimiser over named variables whose state can be saved and restored exactly (for `--resume`).
 *
 * @example
 * ```ts
 * const optimizer = new Optimizer({ kind: 'sgd', momentum: 0.9, weightDecay: 1e-4 }, variables)
 * optimizer.apply(gradients, 0.1)
 * ```
 */
export class Optimizer {
  readonly spec: OptimizerSpec
  private readonly variables: readonly NamedVariable[]
  private readonly slots = new Map<string, tf.Variable>()
  private iterations = 0

  constructor(spec: OptimizerSpec, variables: readonly NamedVariable[]) {
    if (!(spec.weightDecay >= 0)) throw new OptionError('--weight-decay', `must be >= 0, got ${spec.weightDecay}`)
    if (spec.kind === 'sgd' && !(spec.momentum >= 0 && spec.momentum < 1)) throw new OptionError('--momentum', `must be in [0, 1), got ${spec.momentum}`)
    this.spec = spec
    this.variables = variables
    const slotNames = spec.kind === 'sgd' ? ['momentum'] : ['m', 'v']
    for (const { name, variable } of variables) {
      for (const slot of slotNames) this.slots.set(`${name}/${slot}`, tf.tidy(() => tf.variable(tf.zerosLike(variable), false)))
    }
  }

  /** Steps taken so far. */
  get step(): number {
    return this.iterations
  }

  /**
   * One update with learning rate `lr`; `gradients` maps each tfjs variable's own name
   * (`variable.name`) to its gradient. Variables without a gradient are left alone.
   */
  apply(gradients: Readonly<Record<string, tf.Tensor>>, lr: number): void {
    this.iterations++
    const t = this.iterations
    tf.tidy(() => {
      for (const { name, variable } of this.variables) {
        const g = gradients[variable.name]
        if (g === undefined) continue
        if (this.spec.kind === 'sgd') {
          const { momentum, weightDecay } = this.spec
          const buffer = this.slot(name, 'momentum')
          const decayed = weightDecay > 0 ? tf.add(g, tf.mul(variable, weightDecay)) : g
          const next = tf.add(tf.mul(buffer, momentum), decayed)
          buffer.assign(next)
          variable.assign(tf.sub(variable, tf.mul(next, lr)))
        } else {
          const { beta1, beta2, epsilon, weightDecay } = this.spec
          const m = this.slot(name, 'm')
          const v = this.slot(name, 'v')
          const nextM = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1))
          const nextV = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2))
          m.assign(nextM)
          v.assign(nextV)
          const mHat = tf.div(nextM, 1 - beta1 ** t)
          const vHat = tf.div(nextV, 1 - beta2 ** t)
          let update = tf.div(mHat, tf.add(tf.sqrt(vHat), epsilon))
          if (weightDecay > 0) update = tf.add(update, tf.mul(variable, weightDecay))
          variable.assign(tf.sub(variable, tf.mul(update, lr)))
        }
      }
    })
  }

  /** The state to checkpoint (copies). */
  state(): OptimizerState {
    const slots: Record<string, Float32Array> = {}
    for (const [key, value] of this.slots) slots[key] = value.dataSync() as Float32Array
    return { iterations: this.iterations, slots }
  }

  /** Restores a {@link state}; every slot must be present with the right size. */
  load(state: OptimizerState): void {
    for (const [key, variable] of this.slots) {
      const values = state.slots[key]
      if (values === undefined || values.length !== variable.size) {
        throw new OptionError('--resume', `the checkpoint's optimiser state has no slot ${key} of ${variable.size} values (different model or optimiser?)`)
      }
      tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)))
    }
    this.iterations = state.iterations
  }

  /** Frees the slot tensors. */
  dispose(): void {
    for (const variable of this.slots.values()) variable.dispose()
    this.slots.clear()
  }

  private slot(name: string, slot: string): tf.Variable {
    const value = this.slots.get(`${name}/${slot}`)
    if (value === undefined) throw new OptionError('optimizer', `no ${slot} slot for ${name}`)
    return value
  }
}
