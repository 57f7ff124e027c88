import type * as tf from '@tensorflow/tfjs-core'
import { OptionError } from '@sd-dropout/sdk'
import type { MethodSetup, TrainingMethod } from '../training-method.js'
import { frskdLoss, type FrskdLossOptions } from './frskd-loss.js'
import { createSelfTeacher } from './self-teacher.js'

/** Options of FRSKD: the loss weights and the self-teacher's size. */
export interface FrskdOptions extends FrskdLossOptions {
  /** Self-teacher channel multiplier (official `--width` 2). */
  readonly width: number
  /** Depthwise-separable convolutions per fusion block (official `--depth` 2). */
  readonly depth: number
}

/**
 * DESIGN section 1 / the official CIFAR-100 settings (tau 4, alpha 2, beta 100, depth 2), with a
 * self-teacher width of 1 instead of the official 2 (docs/methods.md: on the default CNN width 2 made
 * a step 16x slower than plain CE, width 1 about 6x).
 */
export const FRSKD_DEFAULTS: FrskdOptions = { alpha: 2, beta: 100, temperature: 4, width: 1, depth: 2 }

/**
 * FRSKD as a training method: a self-teacher (`createSelfTeacher`) over the backbone's stage maps,
 * trained jointly with the classifier under `frskdLoss`. Its variables are trainable method
 * variables (saved in checkpoints); the exported bundle holds only the backbone up to h and the
 * head, so the self-teacher is dropped at export.
 *
 * @throws {OptionError} for a bad option; {ShapeError} for a backbone without stage maps (mlp).
 * @example
 * ```ts
 * const method = frskdMethod(FRSKD_DEFAULTS, setup) // name 'frskd'
 * ```
 */
export function frskdMethod(options: FrskdOptions, setup: MethodSetup): TrainingMethod {
  if (!(options.alpha >= 0) || !Number.isFinite(options.alpha)) throw new OptionError('--frskd-alpha', `must be a finite number >= 0, got ${options.alpha}`)
  if (!(options.beta >= 0) || !Number.isFinite(options.beta)) throw new OptionError('--frskd-beta', `must be a finite number >= 0, got ${options.beta}`)
  if (!(options.temperature > 0) || !Number.isFinite(options.temperature)) throw new OptionError('--frskd-temperature', `must be > 0, got ${options.temperature}`)
  if (!Number.isInteger(options.width) || options.width < 1) throw new OptionError('--frskd-width', `must be an integer >= 1, got ${options.width}`)
  if (!Number.isInteger(options.depth) || options.depth < 1) throw new OptionError('--frskd-depth', `must be an integer >= 1, got ${options.depth}`)
  if (setup.stageShapes.some((shape) => shape.length !== 3)) throw new OptionError('--method', 'frskd builds its self-teacher on stage feature maps [H, W, C]; use a conv backbone (--model cnn or resnet)')
  const teacher = createSelfTeacher({ stages: setup.stageShapes, classes: setup.classes, width: options.width, depth: options.depth }, setup.seed)
  return {
    name: 'frskd',
    hyperParameters: { frskdAlpha: options.alpha, frskdBeta: options.beta, frskdTemperature: options.temperature, frskdWidth: options.width, frskdDepth: options.depth },
    loss(pass, batch) {
      const { maps, logits } = teacher.forward(pass.stages)
      return frskdLoss({ studentLogits: pass.logits, teacherLogits: logits, studentMaps: pass.stages as tf.Tensor4D[], teacherMaps: maps, oneHot: batch.oneHot }, options)
    },
    variables: () => teacher.store.variables().map(({ name, variable }) => ({ name: `frskd/${name}`, variable })),
    dispose: () => teacher.store.dispose(),
  }
}
