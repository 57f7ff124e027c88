import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { batchNormTraining } from '../layers/batch-norm-training.js'
import type { MethodSetup } from '../training-method.js'
import { createAuxiliaryClassifiers } from './auxiliary-classifiers.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync())
const close = (actual: tf.Tensor, expected: tf.Tensor) => {
  expect(actual.shape).toStrictEqual(expected.shape)
  values(actual).forEach((a, i) => expect(a).toBeCloseTo(values(expected)[i] as number, 4))
}

describe('createAuxiliaryClassifiers', () => {
  it('conv backbone: a path per intermediate stage (2x2 average, separable conv-BN-ReLU per later stage), pooled to D, then a joint head', () => {
    const setup: MethodSetup = { stageShapes: [[4, 4, 2], [2, 2, 3], [1, 1, 5]], deepestStageIsPooled: true, featureDim: 5, itemShape: [8, 8, 1], classes: 2, seed: 3 }
    const auxiliary = createAuxiliaryClassifiers(setup)
    expect(auxiliary.stages).toStrictEqual([0, 1])
    const v = Object.fromEntries(auxiliary.store.variables().map(({ name, variable }) => [name, variable]))
    const get = (name: string): tf.Variable => v[name] ?? expect.fail(`no variable ${name}`)
    const f1 = tf.randomNormal<tf.Rank.R4>([3, 4, 4, 2], 0, 1, 'float32', 1)
    const f2 = tf.randomNormal<tf.Rank.R4>([3, 2, 2, 3], 0, 1, 'float32', 2)
    const f3 = tf.randomNormal<tf.Rank.R4>([3, 1, 1, 5], 0, 1, 'float32', 3)
    const [g1, g2] = auxiliary.features([f1, f2, f3])
    const step = (x: tf.Tensor4D, prefix: string) => {
      const [b, h, w, c] = x.shape
      const averaged = tf.mean<tf.Tensor4D>(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4])
      const spatial = tf.depthwiseConv2d(averaged, get(`${prefix}/0/depthwise`) as tf.Tensor4D, 1, 'same')
      const mixed = tf.conv2d(spatial, tf.reshape<tf.Rank.R4>(get(`${prefix}/0/pointwise`), [1, 1, c, -1]), 1, 'same')
      return tf.relu(batchNormTraining(mixed, { scale: get(`${prefix}/0/bn/scale`), offset: get(`${prefix}/0/bn/offset`) }))
    }
    close(g1 as tf.Tensor, tf.mean(step(step(f1, 'stage1/step2'), 'stage1/step3'), [1, 2]))
    close(g2 as tf.Tensor, tf.mean(step(f2, 'stage2/step3'), [1, 2]))
    const h = tf.mean<tf.Tensor2D>(f3, [1, 2])
    const joint = auxiliary.jointLogits([g1 as tf.Tensor2D, g2 as tf.Tensor2D], h)
    close(joint.auxiliary[0] as tf.Tensor, tf.add(tf.matMul(g1 as tf.Tensor2D, get('stage1/joint/weight')), get('stage1/joint/bias')))
    close(joint.deep, tf.add(tf.matMul(h, get('deep/joint/weight')), get('deep/joint/bias')))
    expect(joint.deep.shape).toStrictEqual([3, 8])
    auxiliary.store.dispose()
  })

  it('MLP: every hidden layer before h gets a path of dense-BN-ReLU layers to D', () => {
    const setup: MethodSetup = { stageShapes: [[6], [4]], deepestStageIsPooled: false, featureDim: 3, itemShape: [2, 2, 1], classes: 2, seed: 0 }
    const auxiliary = createAuxiliaryClassifiers(setup)
    expect(auxiliary.stages).toStrictEqual([0, 1])
    const v = Object.fromEntries(auxiliary.store.variables().map(({ name, variable }) => [name, variable]))
    const get = (name: string): tf.Variable => v[name] ?? expect.fail(`no variable ${name}`)
    const dense = (x: tf.Tensor, prefix: string) => tf.relu(batchNormTraining(tf.matMul(x as tf.Tensor2D, get(`${prefix}/weight`)), { scale: get(`${prefix}/bn/scale`), offset: get(`${prefix}/bn/offset`) }))
    const x1 = tf.randomNormal([5, 6], 0, 1, 'float32', 7)
    const x2 = tf.randomNormal([5, 4], 0, 1, 'float32', 8)
    const [g1, g2] = auxiliary.features([x1, x2])
    close(g1 as tf.Tensor, dense(dense(x1, 'stage1/step2'), 'stage1/step3'))
    close(g2 as tf.Tensor, dense(x2, 'stage2/step3'))
    auxiliary.store.dispose()
  })

  it('refuses a backbone without an intermediate stage', () => {
    expect(() => createAuxiliaryClassifiers({ stageShapes: [[2, 2, 4]], deepestStageIsPooled: true, featureDim: 4, itemShape: [4, 4, 1], classes: 2, seed: 0 })).toThrow(/at least one intermediate stage/)
  })
})
