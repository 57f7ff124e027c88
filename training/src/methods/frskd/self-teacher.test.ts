import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { ShapeError } from '@sd-dropout/sdk'
import { batchNormTraining } from '../layers/batch-norm-training.js'
import { createSelfTeacher } from './self-teacher.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync())

describe('createSelfTeacher', () => {
  it('computes the two-level BiFPN of the formula (lateral, top-down, bottom-up, fusion, classifier)', () => {
    const teacher = createSelfTeacher({ stages: [[4, 4, 2], [2, 2, 3]], classes: 3, width: 1, depth: 1 }, 5)
    const v = Object.fromEntries(teacher.store.variables().map(({ name, variable }) => [name, variable]))
    const get = (name: string): tf.Variable => v[name] ?? expect.fail(`no variable ${name}`)
    // make the fusion weights unequal, one of them negative (clamped to 0)
    get('up1/weights').assign(tf.tensor1d([2, 1]))
    get('down2/weights').assign(tf.tensor1d([-1, 3]))
    const f1 = tf.relu(tf.randomNormal<tf.Rank.R4>([2, 4, 4, 2], 0, 1, 'float32', 1))
    const f2 = tf.relu(tf.randomNormal<tf.Rank.R4>([2, 2, 2, 3], 0, 1, 'float32', 2))
    const { maps, logits } = teacher.forward([f1, f2])

    const conv1x1 = (x: tf.Tensor, prefix: string) => tf.relu(batchNormTraining(tf.conv2d(x as tf.Tensor4D, tf.reshape<tf.Rank.R4>(get(`${prefix}/weight`), [1, 1, get(`${prefix}/weight`).shape[0], -1]), 1, 'same'), { scale: get(`${prefix}/bn/scale`), offset: get(`${prefix}/bn/offset`) }))
    const sep = (x: tf.Tensor, prefix: string) => {
      const spatial = tf.depthwiseConv2d(x as tf.Tensor4D, get(`${prefix}/0/depthwise`) as tf.Tensor4D, 1, 'same')
      const channels = get(`${prefix}/0/pointwise`).shape[0]
      const mixed = tf.conv2d(spatial, tf.reshape<tf.Rank.R4>(get(`${prefix}/0/pointwise`), [1, 1, channels, -1]), 1, 'same')
      return batchNormTraining(mixed, { scale: get(`${prefix}/0/bn/scale`), offset: get(`${prefix}/0/bn/offset`) })
    }
    const lateral1 = conv1x1(f1, 'lateral1')
    const lateral2 = conv1x1(f2, 'lateral2')
    const lateralDown2 = conv1x1(f2, 'lateral-down2')
    // top-down: U1 = sep((2 L1 + 1 up(L2)) / (3 + eps)); up = 1x1 conv-BN-ReLU then nearest 2x
    const up = tf.image.resizeNearestNeighbor(conv1x1(lateral2, 'up1/sample'), [4, 4])
    const u1 = sep(tf.div(tf.add(tf.mul(lateral1, 2), up), 3 + 1e-6), 'up1/conv')
    // bottom-up: O2 = sep((0 M2 + 3 down(relu(U1))) / (3 + eps)); down = 3x3 stride-2 max pool then 1x1 conv-BN-ReLU
    const down = conv1x1(tf.maxPool(tf.relu<tf.Tensor4D>(u1), 3, 2, 'same'), 'down2/sample')
    const o2 = sep(tf.div(tf.add(tf.mul(lateralDown2, 0), tf.mul(down, 3)), 3 + 1e-6), 'down2/conv')
    const expectedLogits = tf.add(tf.matMul(tf.mean<tf.Tensor2D>(tf.relu(o2), [1, 2]), get('classifier/weight')), get('classifier/bias'))

    const close = (actual: tf.Tensor, expected: tf.Tensor) => {
      expect(actual.shape).toStrictEqual(expected.shape)
      values(actual).forEach((a, i) => expect(a).toBeCloseTo(values(expected)[i] as number, 4))
    }
    close(maps[0] as tf.Tensor, tf.relu(u1))
    close(maps[1] as tf.Tensor, tf.relu(o2))
    close(logits, expectedLogits)
    teacher.store.dispose()
  })

  it('gives every variable a gradient from the teacher\'s loss, and its maps are non-negative', () => {
    const teacher = createSelfTeacher({ stages: [[8, 8, 2], [4, 4, 4], [2, 2, 8]], classes: 3, width: 2, depth: 2 }, 1)
    const stages = [
      tf.relu(tf.randomNormal([3, 8, 8, 2], 0, 1, 'float32', 3)),
      tf.relu(tf.randomNormal([3, 4, 4, 4], 0, 1, 'float32', 4)),
      tf.relu(tf.randomNormal([3, 2, 2, 8], 0, 1, 'float32', 5)),
    ]
    const { maps } = teacher.forward(stages)
    expect(maps.map((m) => m.shape)).toStrictEqual([[3, 8, 8, 4], [3, 4, 4, 8], [3, 2, 2, 16]])
    for (const map of maps) expect(Math.min(...values(map))).toBeGreaterThanOrEqual(0)
    const target = tf.oneHot(tf.tensor1d([0, 2, 1], 'int32'), 3)
    const { grads } = tf.variableGrads(() => {
      const out = teacher.forward(stages)
      return tf.add<tf.Scalar>(tf.losses.softmaxCrossEntropy(target, out.logits), tf.mul(tf.addN(out.maps.map((m) => tf.mean(m))), 0.1))
    }, teacher.store.variables().map(({ variable }) => variable))
    for (const { name, variable } of teacher.store.variables()) {
      const gradient = grads[variable.name] ?? expect.fail(`no gradient for ${name}`)
      expect(Math.max(...values(gradient).map(Math.abs)), name).toBeGreaterThan(0)
    }
    teacher.store.dispose()
  })

  it('refuses stages that are not maps, or a single stage', () => {
    expect(() => createSelfTeacher({ stages: [[16], [8]], classes: 3, width: 1, depth: 1 }, 0)).toThrow(ShapeError)
    expect(() => createSelfTeacher({ stages: [[4, 4, 2]], classes: 3, width: 1, depth: 1 }, 0)).toThrow(/at least 2 maps/)
  })
})
