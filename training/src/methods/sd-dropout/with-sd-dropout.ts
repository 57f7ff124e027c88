import * as tf from '@tensorflow/tfjs-core'
import { assertDropoutRate, assertTemperature, OptionError } from '@sd-dropout/sdk'
import type { HostImages, MethodState, TrainingMethod } from '../training-method.js'
import { sdDropoutTerm, type SdDropoutOptions } from './sd-dropout-loss.js'
import { trainingMasks } from './training-masks.js'

/**
 * Adds the SD-Dropout term to any method: L = L_base + lambda * L_sd (see `sdDropoutTerm`), with
 * K fresh masks per item and step from `trainingMasks`. On the `ce` base this is SD-Dropout as
 * its authors ran it (name `sd-dropout`); on another base it is "base + sd-dropout".
 *
 * @throws {OptionError} for p outside (0, 1), tau <= 0, lambda < 0 or K < 2.
 * @example
 * ```ts
 * const method = withSdDropout(crossEntropyMethod(), { rate: 0.5, temperature: 3, weight: 1, detach: false, samples: 2 })
 * ```
 */
export function withSdDropout(base: TrainingMethod, options: SdDropoutOptions): TrainingMethod {
  assertDropoutRate(options.rate, '--sd-rate')
  if (options.rate === 0) throw new OptionError('--sd-rate', 'must be > 0 (at p = 0 both dropout samples are identical)')
  assertTemperature(options.temperature, '--sd-temperature')
  if (!(options.weight >= 0) || !Number.isFinite(options.weight)) throw new OptionError('--sd-weight', `must be a finite number >= 0, got ${options.weight}`)
  if (!Number.isInteger(options.samples) || options.samples < 2) throw new OptionError('--sd-samples', `must be an integer >= 2, got ${options.samples}`)
  const method: TrainingMethod = {
    name: base.name === 'ce' ? 'sd-dropout' : `${base.name}+sd-dropout`,
    hyperParameters: {
      ...base.hyperParameters,
      sdRate: options.rate,
      sdTemperature: options.temperature,
      sdWeight: options.weight,
      sdDetach: options.detach,
      sdSamples: options.samples,
    },
    loss(pass, batch, context) {
      const baseLoss = base.loss(pass, batch, context)
      const [items, featureDim] = pass.features.shape
      const masks = tf.tensor3d(trainingMasks(context.seed, batch.step, items, options.samples, featureDim, options.rate), [options.samples, items, featureDim])
      // The tape keeps `masks` for the gradient of h * m; the surrounding scope disposes it.
      const sd = sdDropoutTerm(pass.features, context.head, masks, options)
      return { total: tf.add(baseLoss.total, tf.mul(sd, tf.scalar(options.weight))), terms: { ...baseLoss.terms, sd } }
    },
  }
  // Delegate the optional hooks to the base method (arrow wrappers keep `this` bound to it).
  return {
    ...method,
    ...(base.variables ? { variables: () => base.variables?.() ?? [] } : {}),
    ...(base.expandInputs ? { expandInputs: (batch: HostImages, itemShape: readonly number[]) => base.expandInputs?.(batch, itemShape) ?? batch } : {}),
    ...(base.afterStep ? { afterStep: (logits: Float32Array, batch: Parameters<NonNullable<TrainingMethod['afterStep']>>[1]) => base.afterStep?.(logits, batch) } : {}),
    ...(base.saveState ? { saveState: () => base.saveState?.() ?? { json: null, tensors: {} } } : {}),
    ...(base.loadState ? { loadState: (state: MethodState) => base.loadState?.(state) } : {}),
    ...(base.dispose ? { dispose: () => base.dispose?.() } : {}),
  }
}
