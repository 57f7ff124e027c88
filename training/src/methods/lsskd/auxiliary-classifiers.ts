import * as tf from '@tensorflow/tfjs-core'
import { ShapeError } from '@sd-dropout/sdk'
import { createLinearHead, headLogits, type LinearHead } from '../../models/linear-head.js'
import { applyPointwise, applySeparableConvBlock, pointwiseBlock, separableConvBlock, type PointwiseBlock, type SeparableConv } from '../layers/conv-blocks.js'
import { ParameterStore } from '../layers/parameter-store.js'
import { resizeMap } from '../layers/resize-map.js'
import type { MethodSetup } from '../training-method.js'
import { ROTATIONS } from './rotated-copies.js'

/** One step of an auxiliary path: to the next stage's size and width. */
type PathStep =
  | { readonly kind: 'map'; readonly height: number; readonly width: number; readonly conv: SeparableConv[] }
  | { readonly kind: 'vector'; readonly dense: PointwiseBlock }

/** LSSKD's auxiliary classifiers: their variables and forward passes. */
export interface AuxiliaryClassifiers {
  readonly store: ParameterStore
  /** Indices (into the stage outputs) of the intermediate stages that carry an auxiliary classifier. */
  readonly stages: readonly number[]
  /** g_j of each intermediate stage: its map carried to the deepest stage's size and width, pooled, [N, D]. */
  features(stageMaps: readonly tf.Tensor[]): tf.Tensor2D[]
  /** Joint (class x rotation) logits [N, 4C] of each auxiliary feature, and of h (the deepest classifier). */
  jointLogits(auxiliaryFeatures: readonly tf.Tensor2D[], deepFeatures: tf.Tensor2D): { auxiliary: tf.Tensor2D[]; deep: tf.Tensor2D }
}

/**
 * Builds LSSKD's auxiliary classifiers for a backbone. Each intermediate stage j (every stage map
 * except the one h is pooled from; every hidden layer before h for an MLP) gets a path that
 * repeats the backbone's downsampling with cheap layers: per later stage t, the map is brought to
 * stage t's size (`resizeMap`: 2 x 2 averages) and width by one depthwise-separable
 * convolution with batch norm and a ReLU (a dense layer with batch norm and ReLU for an MLP),
 * then globally average-pooled into g_j with D values, like h. A linear joint classifier maps g_j
 * (and, for the deepest classifier, h) to 4 C class-x-rotation logits. Batch norm uses batch
 * statistics only: none of this runs after training.
 *
 * @throws {ShapeError} when the backbone has no intermediate stage.
 * @example
 * ```ts
 * const auxiliary = createAuxiliaryClassifiers(setup)
 * const g = auxiliary.features(pass.expanded.stages)
 * ```
 */
export function createAuxiliaryClassifiers(setup: MethodSetup): AuxiliaryClassifiers {
  const shapes = setup.stageShapes
  const intermediate = shapes.map((_, j) => j).filter((j) => !setup.deepestStageIsPooled || j < shapes.length - 1)
  if (intermediate.length === 0) throw new ShapeError('lsskd stages', 'at least one intermediate stage before h', 'none')
  // The widths a path walks through after its stage: the later intermediate stages, then h's (D).
  const targets: readonly (readonly number[])[] = setup.deepestStageIsPooled ? shapes : [...shapes, [setup.featureDim]]
  const store = new ParameterStore(setup.seed)
  const jointClasses = ROTATIONS * setup.classes
  const paths = intermediate.map((j) => {
    const steps: PathStep[] = []
    for (let t = j + 1; t < targets.length; t++) {
      const from = targets[t - 1] as readonly number[]
      const to = targets[t] as readonly number[]
      const inputs = from[from.length - 1] as number
      const outputs = to[to.length - 1] as number
      steps.push(
        to.length === 3
          ? { kind: 'map', height: to[0] as number, width: to[1] as number, conv: separableConvBlock(store, `stage${j + 1}/step${t + 1}`, inputs, outputs, 1) }
          : { kind: 'vector', dense: pointwiseBlock(store, `stage${j + 1}/step${t + 1}`, inputs, outputs) },
      )
    }
    return steps
  })
  const heads: LinearHead[] = [...intermediate, shapes.length].map((j, i) => {
    const head = createLinearHead(setup.featureDim, jointClasses, (setup.seed + 2 * i) & 0x7fffffff)
    const name = i < intermediate.length ? `stage${j + 1}` : 'deep'
    store.adopt(`${name}/joint/weight`, head.weight)
    store.adopt(`${name}/joint/bias`, head.bias)
    return head
  })

  return {
    store,
    stages: intermediate,
    features(stageMaps) {
      return intermediate.map((j, p) =>
        tf.tidy(() => {
          let x = stageMaps[j] as tf.Tensor
          for (const step of paths[p] as PathStep[]) {
            x = step.kind === 'map' ? tf.relu(applySeparableConvBlock(resizeMap(x as tf.Tensor4D, step.height, step.width, 'average-2x2'), step.conv)) : applyPointwise(x, step.dense, true)
          }
          return (x.rank === 4 ? tf.mean(x, [1, 2]) : x) as tf.Tensor2D
        }),
      )
    },
    jointLogits(auxiliaryFeatures, deepFeatures) {
      return {
        auxiliary: auxiliaryFeatures.map((features, i) => headLogits(features, heads[i] as LinearHead)),
        deep: headLogits(deepFeatures, heads[heads.length - 1] as LinearHead),
      }
    },
  }
}
