import * as tf from '@tensorflow/tfjs-core'
import { ShapeError } from '@sd-dropout/sdk'
import { createLinearHead, headLogits, type LinearHead } from '../../models/linear-head.js'
import { applyPointwise, applySeparableConvBlock, pointwiseBlock, separableConvBlock, type PointwiseBlock, type SeparableConv } from '../layers/conv-blocks.js'
import { ParameterStore } from '../layers/parameter-store.js'
import { resizeMap } from '../layers/resize-map.js'
import { fuse } from './fusion-weights.js'

/** Shape of FRSKD's self-teacher. */
export interface SelfTeacherOptions {
  /** [H, W, C] of each backbone stage map, shallow to deep (at least 2). */
  readonly stages: readonly (readonly number[])[]
  readonly classes: number
  /** Channel multiplier: level i has width * C_i channels (official `--width`, 2). */
  readonly width: number
  /** Depthwise-separable convolutions per fusion block (official `--depth`, 2). */
  readonly depth: number
}

/** The self-teacher's output for one batch. */
export interface SelfTeacherOutput {
  /** F^_1..F^_k, the refined maps (after a ReLU), level i of shape [B, H_i, W_i, width * C_i]. */
  readonly maps: tf.Tensor4D[]
  /** t, its classifier's logits, [B, C]. */
  readonly logits: tf.Tensor2D
}

/** FRSKD's self-teacher: trainable variables plus a forward pass over the stage maps. */
export interface SelfTeacher {
  readonly store: ParameterStore
  forward(stages: readonly tf.Tensor[]): SelfTeacherOutput
}

interface Level {
  readonly height: number
  readonly width: number
  readonly lateral: PointwiseBlock
  readonly lateralDown?: PointwiseBlock
  readonly up?: { readonly conv: SeparableConv[]; readonly sample: PointwiseBlock; readonly weights: tf.Variable }
  readonly down?: { readonly conv: SeparableConv[]; readonly sample: PointwiseBlock; readonly weights: tf.Variable }
}

/**
 * Builds FRSKD's self-teacher (Ji et al., CVPR 2021; official code MingiJi/FRSKD, models/bifpnc.py
 * `BiFPNc` with one `BiFPN_layer`), over k stage maps F_1..F_k of the backbone. With
 * L_i = relu(BN(conv1x1(F_i))) (lateral, width * C_i channels), M_i a second lateral of the same
 * form (levels 2..k), w the learnable non-negative fusion weights (`fuse`), sep the depthwise-
 * separable block (`applySeparableConvBlock`), up/down a 1x1 conv-BN-ReLU with a nearest 2x
 * upsampling or a 3x3 stride-2 max pool (`resizeMap`):
 *
 *   top-down:  U_k = L_k;  U_i = sep(w . [L_i, up(U_{i+1})])                 (i = k-1..1)
 *   bottom-up: O_1 = U_1;  O_i = sep(w . [M_i, U_i, down(O_{i-1})]) (i < k),  O_k = sep(w . [M_k, down(O_{k-1})])
 *   F^_i = relu(O_i),  t = fc(global average pool(F^_k))
 *
 * (relu of every fusion input, as the official code; the backbone's maps are post-ReLU already).
 * The upsampling path applies its 1x1 conv-BN-ReLU before the nearest upsampling instead of after:
 * for an exact 2x upsampling that is the same function (nearest copying commutes with per-pixel
 * maps, and batch statistics of a map whose pixels are each repeated 4 times are unchanged) at a
 * quarter of the cost. Batch norm uses batch statistics only: the teacher never runs in inference.
 *
 * @param seed initializer seed of its variables
 * @throws {ShapeError} for fewer than 2 stages or stages that are not [H, W, C] maps (e.g. an MLP).
 * @example
 * ```ts
 * const teacher = createSelfTeacher({ stages: [[28, 28, 16], [14, 14, 32], [7, 7, 64]], classes: 10, width: 2, depth: 2 }, seed)
 * const { maps, logits } = teacher.forward(pass.stages)
 * ```
 */
export function createSelfTeacher(options: SelfTeacherOptions, seed: number): SelfTeacher {
  const { stages, classes, width, depth } = options
  if (stages.length < 2 || stages.some((shape) => shape.length !== 3)) {
    throw new ShapeError('frskd stage maps', 'at least 2 maps of [height, width, channels] (a conv backbone: --model cnn or resnet)', stages.map((s) => `[${s.join(', ')}]`).join(' ') || 'none')
  }
  const store = new ParameterStore(seed)
  const channels = stages.map((shape) => width * (shape[2] as number))
  const k = stages.length
  const levels: Level[] = stages.map((shape, i) => {
    const own = channels[i] as number
    const source = shape[2] as number
    return {
      height: shape[0] as number,
      width: shape[1] as number,
      lateral: pointwiseBlock(store, `lateral${i + 1}`, source, own),
      ...(i > 0 ? { lateralDown: pointwiseBlock(store, `lateral-down${i + 1}`, source, own) } : {}),
      ...(i < k - 1
        ? { up: { conv: separableConvBlock(store, `up${i + 1}/conv`, own, own, depth), sample: pointwiseBlock(store, `up${i + 1}/sample`, channels[i + 1] as number, own), weights: store.constant(`up${i + 1}/weights`, [2], 1) } }
        : {}),
      ...(i > 0
        ? { down: { conv: separableConvBlock(store, `down${i + 1}/conv`, own, own, depth), sample: pointwiseBlock(store, `down${i + 1}/sample`, channels[i - 1] as number, own), weights: store.constant(`down${i + 1}/weights`, [i < k - 1 ? 3 : 2], 1) } }
        : {}),
    }
  })
  const classifier: LinearHead = (() => {
    const head = createLinearHead(channels[k - 1] as number, classes, seed & 0x7fffffff)
    store.adopt('classifier/weight', head.weight)
    store.adopt('classifier/bias', head.bias)
    return head
  })()

  return {
    store,
    forward(stageMaps) {
      if (stageMaps.length !== k) throw new ShapeError('frskd stage maps', `${k} maps`, `${stageMaps.length}`)
      const inputs = stageMaps.map((map) => tf.relu(map as tf.Tensor4D))
      const lateral = levels.map((level, i) => applyPointwise(inputs[i] as tf.Tensor4D, level.lateral, true) as tf.Tensor4D)
      const lateralDown = levels.map((level, i) => (level.lateralDown === undefined ? null : (applyPointwise(inputs[i] as tf.Tensor4D, level.lateralDown, true) as tf.Tensor4D)))
      // top-down
      const up: tf.Tensor4D[] = new Array<tf.Tensor4D>(k)
      up[k - 1] = lateral[k - 1] as tf.Tensor4D
      for (let i = k - 2; i >= 0; i--) {
        const level = levels[i] as Level
        const path = level.up as NonNullable<Level['up']>
        const sampled = resizeMap(applyPointwise(tf.relu(up[i + 1] as tf.Tensor4D), path.sample, true) as tf.Tensor4D, level.height, level.width)
        up[i] = applySeparableConvBlock(fuse(path.weights as tf.Tensor1D, [tf.relu(lateral[i] as tf.Tensor4D), sampled]) as tf.Tensor4D, path.conv)
      }
      // bottom-up
      const out: tf.Tensor4D[] = [up[0] as tf.Tensor4D]
      for (let i = 1; i < k; i++) {
        const level = levels[i] as Level
        const path = level.down as NonNullable<Level['down']>
        const sampled = applyPointwise(resizeMap(tf.relu(out[i - 1] as tf.Tensor4D), level.height, level.width), path.sample, true)
        const sideways = tf.relu(lateralDown[i] as tf.Tensor4D)
        const fused = fuse(path.weights as tf.Tensor1D, i < k - 1 ? [sideways, tf.relu(up[i] as tf.Tensor4D), sampled] : [sideways, sampled])
        out.push(applySeparableConvBlock(fused as tf.Tensor4D, path.conv))
      }
      const refined = out.map((map) => tf.relu(map))
      const pooled = tf.mean<tf.Tensor2D>(refined[k - 1] as tf.Tensor4D, [1, 2])
      return { maps: refined, logits: headLogits(pooled, classifier) }
    },
  }
}
