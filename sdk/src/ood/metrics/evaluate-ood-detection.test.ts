import { describe, expect, it } from 'vitest'
import { InputError } from '../../errors.js'
import { evaluateOodDetection } from './evaluate-ood-detection.js'

describe('evaluateOodDetection', () => {
  it('gives every metric of a perfect separation', () => {
    expect(evaluateOodDetection([0.1, 0.2], [0.8, 0.9])).toStrictEqual({ auroc: 1, auprIn: 1, auprOut: 1, fpr95: 0, detectionError: 0 })
  })

  it('gives hand-worked metrics on an overlapping case', () => {
    // in [1, 2, 3], out [2, 4]: AUROC = (1.5 + 3) / 6; FPR95: t = 3 accepts OOD 2 -> 1/2
    const metrics = evaluateOodDetection([1, 2, 3], [2, 4])
    expect(metrics.auroc).toBeCloseTo(0.75, 15)
    expect(metrics.auprOut).toBeCloseTo(0.75, 15)
    expect(metrics.auprIn).toBeCloseTo(29 / 36, 15)
    expect(metrics.fpr95).toBe(0.5)
    expect(metrics.detectionError).toBeCloseTo(0.25, 15) // t = 3: miss 2 (1/2), flag none
  })

  it('rejects empty sets and NaN', () => {
    expect(() => evaluateOodDetection([], [1])).toThrow(InputError)
    expect(() => evaluateOodDetection([1], [Number.NaN])).toThrow(InputError)
  })
})
