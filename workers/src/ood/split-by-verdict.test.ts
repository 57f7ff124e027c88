import { NotFittedError, type Prediction } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { loadTestModel, sdkTestModel } from '../testing/test-models.js'
import { splitByVerdict } from './split-by-verdict.js'

// Real predictions of the SDK test model (OOD score mutual-information, threshold 0.05 at S = 16).
const model = await loadTestModel()
const inputs = (await sdkTestModel()).testInputs(20, 5)
const item = (i: number) => inputs.subarray(i * 64, (i + 1) * 64)
afterAll(() => model.dispose())

describe('splitByVerdict', () => {
  it('accepts score <= threshold and rejects score > threshold, keeping batch indices and predictions', async () => {
    const batch = Float32Array.from([3, 0, 7, 1].flatMap((i) => Array.from(item(i))))
    const predictions = await model.predict(batch)
    const { accepted, rejected } = splitByVerdict(predictions)
    expect(accepted).toStrictEqual([
      { index: 0, prediction: predictions[0] },
      { index: 2, prediction: predictions[2] },
    ])
    expect(accepted[1]?.prediction).toBe(predictions[2])
    expect(rejected).toStrictEqual([1, 3].map((index) => ({ index, score: (predictions[index] as Prediction).ood.score, threshold: 0.05, method: 'mutual-information' })))
    expect(rejected.every((r) => r.score > 0.05)).toBe(true)
  })

  it('accepts a score exactly at the threshold (a bundle whose threshold is that score)', async () => {
    const score = ((await model.predict(item(2)))[0] as Prediction).ood.score
    const ood = { score: 'mutual-information' as const, thresholds: { 'mutual-information': score }, targetAcceptance: 0.95, samples: 16, seed: 0 }
    const atThreshold = await loadTestModel({ ood })
    const justBelow = await loadTestModel({ ood: { ...ood, thresholds: { 'mutual-information': score * (1 - 1e-12) } } })
    try {
      expect(splitByVerdict(await atThreshold.predict(item(2)))).toStrictEqual({ accepted: [{ index: 0, prediction: (await atThreshold.predict(item(2)))[0] }], rejected: [] })
      expect(splitByVerdict(await justBelow.predict(item(2))).rejected).toStrictEqual([{ index: 0, score, threshold: score * (1 - 1e-12), method: 'mutual-information' }])
    } finally {
      atThreshold.dispose()
      justBelow.dispose()
    }
  })

  it('refuses to filter with a score the bundle has no threshold for, and splits an empty batch into nothing', async () => {
    const predictions = await model.predict(item(3), { oodScore: 'entropy' })
    expect(predictions[0]?.ood.threshold).toBeNull()
    expect(() => splitByVerdict(predictions)).toThrow(NotFittedError)
    expect(splitByVerdict([])).toStrictEqual({ accepted: [], rejected: [] })
  })
})
