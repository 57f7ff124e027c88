import type * as tf from '@tensorflow/tfjs-core'
import { deriveSeed } from '@sd-dropout/sdk'
import { createMethod, parseMethod, resolvePeerOptions } from '../methods/method-registry.js'
import { methodSetup } from '../methods/method-setup.js'
import type { TrainingMethod } from '../methods/training-method.js'
import { buildBackbone } from '../models/build-backbone.js'
import { createLinearHead, type LinearHead } from '../models/linear-head.js'
import type { Backbone } from '../models/model-spec.js'
import { Optimizer, type NamedVariable } from './optimizer.js'
import { SEED_STREAMS, type TrainConfig } from './train-config.js'

/**
 * Everything a run trains: the backbone, the head, the method (with its own variables, e.g. a
 * self-teacher) and the optimiser over all their variables.
 */
export interface TrainingSession {
  readonly config: TrainConfig
  readonly backbone: Backbone
  readonly head: LinearHead
  readonly method: TrainingMethod
  /** Trainable variables under stable names (`backbone/<weight>`, `head/weight`, `head/bias`, `method/<name>`). */
  readonly variables: readonly NamedVariable[]
  readonly optimizer: Optimizer
  readonly classes: number
  /** Frees every tensor of the session. */
  dispose(): void
}

/**
 * Builds a fresh training session from a config: weights initialised from the run seed
 * (`deriveSeed(seed, 0)` for the backbone, `deriveSeed(seed, 4)` for the head, `deriveSeed(seed, 5)`
 * for the method's own variables).
 *
 * @param itemShape shape of one input item, e.g. [28, 28, 1]
 * @param classes C
 * @example
 * ```ts
 * const session = createTrainingSession(config, [28, 28, 1], 10)
 * ```
 */
export function createTrainingSession(config: TrainConfig, itemShape: readonly number[], classes: number): TrainingSession {
  const spec = parseMethod(config.method)
  const backbone = buildBackbone(config.model, itemShape, deriveSeed(config.seed, SEED_STREAMS.weights))
  const head = createLinearHead(backbone.featureDim, classes, deriveSeed(config.seed, SEED_STREAMS.head) & 0x7fffffff)
  let method: TrainingMethod
  try {
    method = createMethod(spec, config.sd, resolvePeerOptions(config.peers), methodSetup(backbone, classes, deriveSeed(config.seed, SEED_STREAMS.methodWeights)))
  } catch (error) {
    backbone.model.dispose()
    head.weight.dispose()
    head.bias.dispose()
    throw error
  }
  const variables: NamedVariable[] = [
    ...backbone.model.trainableWeights.map((weight) => ({ name: `backbone/${weight.originalName}`, variable: weight.read() as tf.Variable })),
    { name: 'head/weight', variable: head.weight },
    { name: 'head/bias', variable: head.bias },
    ...(method.variables?.() ?? []).map(({ name, variable }) => ({ name: `method/${name}`, variable })),
  ]
  const optimizer = new Optimizer(config.optimizer, variables)
  return {
    config,
    backbone,
    head,
    method,
    variables,
    optimizer,
    classes,
    dispose() {
      optimizer.dispose()
      method.dispose?.()
      backbone.model.dispose()
      head.weight.dispose()
      head.bias.dispose()
    },
  }
}
