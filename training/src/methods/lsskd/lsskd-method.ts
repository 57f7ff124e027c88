import * as tf from '@tensorflow/tfjs-core'
import { OptionError } from '@sd-dropout/sdk'
import type { MethodSetup, TrainingMethod } from '../training-method.js'
import { createAuxiliaryClassifiers } from './auxiliary-classifiers.js'
import { lsskdLoss, type LsskdLossOptions } from './lsskd-loss.js'
import { jointLabels, ROTATIONS, rotatedCopies } from './rotated-copies.js'

/** Options of LSSKD. */
export type LsskdOptions = LsskdLossOptions

/** Our defaults (the paper gives none; docs/methods.md): tau 3, both transfer weights 1. */
export const LSSKD_DEFAULTS: LsskdOptions = { temperature: 3, klWeight: 1, featureWeight: 1 }

/**
 * LSSKD as a training method: every batch goes through the backbone with its three rotated copies
 * (`rotatedCopies`, 4 B items), auxiliary classifiers on the intermediate stages and a deepest
 * classifier on h learn the joint class x rotation labels, and `lsskdLoss` transfers the deepest
 * classifier's distribution and features to the shallower ones. The deployed head sees only the
 * B originals. The auxiliary classifiers are method variables (saved in checkpoints) and are not
 * part of the exported bundle.
 *
 * @throws {OptionError} for a bad option; {ShapeError} for non-square inputs or no intermediate stage.
 * @example
 * ```ts
 * const method = lsskdMethod(LSSKD_DEFAULTS, setup) // name 'lsskd'
 * ```
 */
export function lsskdMethod(options: LsskdOptions, setup: MethodSetup): TrainingMethod {
  if (!(options.temperature > 0) || !Number.isFinite(options.temperature)) throw new OptionError('--lsskd-temperature', `must be > 0, got ${options.temperature}`)
  if (!(options.klWeight >= 0) || !Number.isFinite(options.klWeight)) throw new OptionError('--lsskd-kl-weight', `must be a finite number >= 0, got ${options.klWeight}`)
  if (!(options.featureWeight >= 0) || !Number.isFinite(options.featureWeight)) throw new OptionError('--lsskd-feature-weight', `must be a finite number >= 0, got ${options.featureWeight}`)
  const [height, width] = setup.itemShape
  if (setup.itemShape.length !== 3 || height !== width) throw new OptionError('--method', `lsskd rotates inputs by quarter turns and needs square images, got [${setup.itemShape.join(', ')}]`)
  const auxiliary = createAuxiliaryClassifiers(setup)
  const jointClasses = ROTATIONS * setup.classes
  return {
    name: 'lsskd',
    hyperParameters: { lsskdTemperature: options.temperature, lsskdKlWeight: options.klWeight, lsskdFeatureWeight: options.featureWeight },
    expandInputs(batch, itemShape) {
      return { images: rotatedCopies(batch.images, batch.count, itemShape), count: ROTATIONS * batch.count }
    },
    loss(pass, batch) {
      const expanded = pass.expanded
      if (expanded === undefined) throw new OptionError('--method', 'lsskd needs its rotated copies in the forward pass (expandInputs was not applied)')
      const auxiliaryFeatures = auxiliary.features(expanded.stages)
      const joint = auxiliary.jointLogits(auxiliaryFeatures, expanded.features)
      const jointOneHot = tf.cast(tf.oneHot(tf.tensor1d(jointLabels(batch.labels), 'int32'), jointClasses), 'float32') as tf.Tensor2D
      return lsskdLoss(
        { logits: pass.logits, oneHot: batch.oneHot, auxiliaryLogits: joint.auxiliary, deepLogits: joint.deep, jointOneHot, auxiliaryFeatures, deepFeatures: expanded.features },
        options,
      )
    },
    variables: () => auxiliary.store.variables().map(({ name, variable }) => ({ name: `lsskd/${name}`, variable })),
    dispose: () => auxiliary.store.dispose(),
  }
}
