import * as tf from '@tensorflow/tfjs-core'
import type { MethodBatch } from '../methods/training-method.js'
import { headLogits } from '../models/linear-head.js'
import type { TrainingSession } from './training-session.js'

/** One batch of training data on the host. */
export interface HostBatch {
  /** n x prod(itemShape) values. */
  readonly images: Float32Array
  readonly labels: Int32Array
  /** Training-set indices of the items. */
  readonly indices: Int32Array
}

/** What one optimisation step measured. */
export interface StepResult {
  readonly loss: number
  readonly terms: Readonly<Record<string, number>>
  /** Items whose no-dropout prediction was right. */
  readonly correct: number
}

/**
 * One optimisation step: forward the backbone in training mode (on the method's expanded batch when
 * it has `expandInputs`), z0 = head(h) of the batch's items, the method's loss, gradients of every
 * session variable, one optimiser update at `learningRate`. Every tensor it creates is freed
 * before it returns.
 *
 * @example
 * ```ts
 * const { loss, correct } = trainStep(session, batch, { step, epoch, epochs }, 0.1)
 * ```
 */
export function trainStep(session: TrainingSession, batch: HostBatch, clock: { step: number; epoch: number; epochs: number }, learningRate: number): StepResult {
  const n = batch.labels.length
  const kept: tf.Tensor[] = []
  let termTensors: Record<string, tf.Scalar> = {}
  let predicted: tf.Tensor1D | undefined
  let logitsKept: tf.Tensor2D | undefined
  const itemShape = session.backbone.inputShape
  // Methods may send extra items through the backbone (LSSKD's rotated copies), the batch first.
  const inputs = session.method.expandInputs?.({ images: batch.images, count: n }, itemShape) ?? { images: batch.images, count: n }
  const expanded = inputs.count !== n
  const loss = tf.tidy(() => {
    const input = tf.tensor(inputs.images, [inputs.count, ...itemShape])
    const oneHot = tf.cast(tf.oneHot(tf.tensor1d(batch.labels, 'int32'), session.classes), 'float32') as tf.Tensor2D
    const methodBatch: MethodBatch = { oneHot, labels: batch.labels, indices: batch.indices, ...clock }
    const { value, grads } = tf.variableGrads(
      () => {
        const applied = session.backbone.model.apply(input, { training: true }) as tf.Tensor | tf.Tensor[]
        const outputs = Array.isArray(applied) ? applied : [applied]
        const allFeatures = outputs[0] as tf.Tensor2D
        const allStages = outputs.slice(1)
        const features = expanded ? firstRows(allFeatures, n) : allFeatures
        const stages = expanded ? allStages.map((stage) => firstRows(stage, n)) : allStages
        const logits = headLogits(features, session.head)
        const pass = { features, stages, logits, ...(expanded ? { expanded: { features: allFeatures, stages: allStages } } : {}) }
        const terms = session.method.loss(pass, methodBatch, { head: session.head, seed: session.config.seed })
        termTensors = Object.fromEntries(Object.entries(terms.terms).map(([name, t]) => [name, tf.keep(t)]))
        predicted = tf.keep(tf.argMax<tf.Tensor1D>(logits, 1))
        if (session.method.afterStep !== undefined) logitsKept = tf.keep(logits)
        return terms.total
      },
      session.variables.map(({ variable }) => variable),
    )
    session.optimizer.apply(grads, learningRate)
    return value
  })
  kept.push(loss, ...Object.values(termTensors))
  if (predicted !== undefined) kept.push(predicted)
  if (logitsKept !== undefined) kept.push(logitsKept)
  try {
    const terms = Object.fromEntries(Object.entries(termTensors).map(([name, t]) => [name, t.dataSync()[0] as number]))
    const predictions = predicted?.dataSync() ?? new Int32Array(0)
    let correct = 0
    for (let i = 0; i < n; i++) if (predictions[i] === batch.labels[i]) correct++
    if (logitsKept !== undefined) session.method.afterStep?.(logitsKept.dataSync() as Float32Array, { labels: batch.labels, indices: batch.indices, ...clock })
    return { loss: loss.dataSync()[0] as number, terms, correct }
  } finally {
    tf.dispose(kept)
  }
}

/** Rows 0..n-1 along the batch axis. */
function firstRows<R extends tf.Rank>(x: tf.Tensor<R>, n: number): tf.Tensor<R> {
  return tf.slice(x, 0, n)
}
