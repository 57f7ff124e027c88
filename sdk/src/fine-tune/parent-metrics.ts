import { evaluateClassification, type ClassificationMetrics } from '../calibration/evaluate-classification.js'
import { matrix } from '../math/matrix.js'
import type { FineTuneParent } from './fine-tune-parent.js'

/**
 * The parent model's held-out metrics before fine-tuning, over the NEW label set: its calibrated
 * deterministic probabilities softmax(z0 / T_cal) with each parent class moved to the index of its
 * label, new classes getting probability 0 (so their items count as errors). Null when some parent
 * label is not in the new set (`replace` dropping labels): the parent's probabilities would not sum
 * to 1 over the new classes, so there is nothing fair to compare.
 *
 * @param features held-out h, N x D; @param labels their classes in `labelSet`
 * @example
 * ```ts
 * const before = parentMetrics(parent, heldOutFeatures, heldOutLabels, ['0', '1', '2'])
 * ```
 */
export function parentMetrics(parent: FineTuneParent, features: Float32Array, labels: Int32Array, labelSet: readonly string[]): ClassificationMetrics | null {
  const m = parent.manifest
  const target = m.labels.map((label) => labelSet.indexOf(label))
  if (target.some((index) => index < 0)) return null
  const items = labels.length
  const head = parent.headKernel.prepare({ weight: parent.headWeight, bias: parent.headBias, featureDim: m.head.inputDim, classes: m.head.classes })
  try {
    const out = head.run({ features, batch: items, dropoutRate: m.head.dropoutRate, samples: 0, seed: 0, temperature: m.calibration.temperature })
    const mapped = new Float32Array(items * labelSet.length)
    for (let i = 0; i < items; i++) {
      target.forEach((to, from) => (mapped[i * labelSet.length + to] = out.probabilities[i * m.head.classes + from] as number))
    }
    return evaluateClassification(matrix(mapped, items, labelSet.length), labels)
  } finally {
    head.dispose()
  }
}
