import * as tf from '@tensorflow/tfjs-core'
import { initializerSeeds } from '../../models/initializer-seeds.js'

/** A trainable variable under a stable name (the key of its values and optimiser slots in checkpoints). */
export interface MethodVariable {
  readonly name: string
  readonly variable: tf.Variable
}

/**
 * The trainable variables of a method's own network (FRSKD's self-teacher, LSSKD's auxiliary
 * classifiers), created in a fixed order from one seed so a run is reproducible, each under a unique
 * name. Disposing the store frees them all.
 *
 * @example
 * ```ts
 * const store = new ParameterStore(seed)
 * const filter = store.heNormal('lateral1/weight', [16, 32], 16)
 * store.variables() // [{ name: 'lateral1/weight', variable: filter }]
 * ```
 */
export class ParameterStore {
  private readonly entries: MethodVariable[] = []
  private readonly nextSeed: () => number

  /** @param seed initializer seed; the i-th random variable uses `deriveSeed(seed, i)`. */
  constructor(seed: number) {
    this.nextSeed = initializerSeeds(seed)
  }

  /**
   * A variable drawn from He et al.'s normal initialisation, truncated at 2 sd (tfjs-layers'
   * `heNormal`): sd = sqrt(2 / fanIn).
   */
  heNormal(name: string, shape: readonly number[], fanIn: number): tf.Variable {
    const seed = this.nextSeed()
    return this.add(name, tf.tidy(() => tf.variable(tf.truncatedNormal([...shape], 0, Math.sqrt(2 / fanIn), 'float32', seed), true)))
  }

  /** A variable uniform in [-limit, limit] (PyTorch's `nn.Linear` uses limit = 1 / sqrt(fanIn)). */
  uniform(name: string, shape: readonly number[], limit: number): tf.Variable {
    const seed = this.nextSeed()
    return this.add(name, tf.tidy(() => tf.variable(tf.randomUniform([...shape], -limit, limit, 'float32', seed), true)))
  }

  /** A variable filled with `value` (batch-norm scales 1 and offsets 0, fusion weights 1). */
  constant(name: string, shape: readonly number[], value: number): tf.Variable {
    return this.add(name, tf.tidy(() => tf.variable(tf.fill([...shape], value), true)))
  }

  /** Registers a variable created elsewhere (e.g. by `createLinearHead`) under `name`; the store now owns it. */
  adopt(name: string, variable: tf.Variable): tf.Variable {
    return this.add(name, variable)
  }

  /** Every variable, in creation order. */
  variables(): readonly MethodVariable[] {
    return this.entries
  }

  /** Number of trainable values held. */
  size(): number {
    return this.entries.reduce((sum, { variable }) => sum + variable.size, 0)
  }

  /** Frees every variable. */
  dispose(): void {
    for (const { variable } of this.entries) variable.dispose()
    this.entries.length = 0
  }

  private add(name: string, variable: tf.Variable): tf.Variable {
    if (this.entries.some((entry) => entry.name === name)) throw new Error(`duplicate method variable ${name}`)
    this.entries.push({ name, variable })
    return variable
  }
}
