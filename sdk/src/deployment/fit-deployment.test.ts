import { describe, expect, it } from 'vitest'
import { brierScore } from '../calibration/brier-score.js'
import { selectiveThreshold } from '../calibration/selective-threshold.js'
import { topLabelPredictions } from '../calibration/top-label.js'
import { InputError, ShapeError } from '../errors.js'
import { createTypeScriptHeadKernel } from '../kernels/typescript-head-kernel.js'
import { matrix } from '../math/matrix.js'
import { MahalanobisAccumulator } from '../ood/mahalanobis/mahalanobis-accumulator.js'
import { acceptanceThreshold } from '../ood/metrics/acceptance-threshold.js'
import { mahalanobisScore } from '../ood/scores/mahalanobis-score.js'
import { fitDeployment, type DeploymentFitInput } from './fit-deployment.js'

const kernel = createTypeScriptHeadKernel()

// Two classes on the axes; the head is the identity, so z0 = h.
const train = {
  features: Float32Array.from([1, 0, 1.2, 0.1, 0.8, -0.1, 0, 1, 0.1, 1.2, -0.1, 0.8]),
  labels: [0, 0, 0, 1, 1, 1],
}
const head = { weight: Float32Array.from([1, 0, 0, 1]), bias: new Float32Array(2), featureDim: 2, classes: 2, dropoutRate: 0.5 }

function handCase(overrides: Partial<DeploymentFitInput> = {}): DeploymentFitInput {
  // held-out: z0 = [1, 0] three times with labels 0, 0, 1: the NLL optimum has softmax(z / T) = [2/3, 1/3], T = 1 / ln 2
  return { head, train, heldOut: { features: Float32Array.from([1, 0, 1, 0, 1, 0]), labels: [0, 0, 1] }, samples: 0, seed: 0, targetAcceptance: 0.95, targetRisk: 0.5, kernel, ...overrides }
}

describe('fitDeployment', () => {
  it('fits T_cal, thresholds, the selective threshold and metrics to hand-computed values', () => {
    const fit = fitDeployment(handCase())
    expect(fit.calibration.temperature).toBeCloseTo(1 / Math.LN2, 5)
    expect(fit.calibration).toMatchObject({ atBound: null, fittedOn: 3 })
    expect(fit.thresholds.msp).toBeCloseTo(1 / 3, 6)
    expect(fit.thresholds['max-logit']).toBe(-1)
    expect(fit.thresholds.energy).toBeCloseTo(-(1 + Math.log(1 + Math.exp(-1))), 6)
    expect(fit.thresholds.entropy).toBeCloseTo(-(2 / 3) * Math.log(2 / 3) - (1 / 3) * Math.log(1 / 3), 6)
    expect(fit.thresholds['mc-entropy']).toBeUndefined() // S = 0: no MC thresholds
    expect(fit.thresholds.mahalanobis).toBeCloseTo(mahalanobisScore([1, 0], fit.mahalanobis ?? expect.fail('statistics')), 6)
    expect(fit.selective.threshold).toBeCloseTo(2 / 3, 6)
    expect(fit.selectiveSpec).toMatchObject({ targetRisk: 0.5, coverage: 1 })
    expect(fit.selectiveSpec?.risk).toBeCloseTo(1 / 3, 12)
    expect(fit.metrics.accuracy).toBeCloseTo(2 / 3, 12)
    expect(fit.metrics.nll).toBeCloseTo(-(2 * Math.log(2 / 3) + Math.log(1 / 3)) / 3, 6)
    expect(fit.metrics.ece).toBeCloseTo(0, 6)
    expect(fit.metrics.nllUncalibrated).toBeCloseTo(Math.log(1 + Math.exp(-1)) + 1 / 3, 6)
    const { nllUncalibrated: _nll, eceUncalibrated: _ece, ...calibrated } = fit.metrics
    expect(fit.deterministicMetrics).toStrictEqual(calibrated) // S = 0: the served prediction is the calibrated deterministic one
    expect({ trainItems: fit.trainItems, heldOutItems: fit.heldOutItems }).toStrictEqual({ trainItems: 6, heldOutItems: 3 })
  })

  it('fits the Mahalanobis statistics on the training features, as the accumulator does', () => {
    const fit = fitDeployment(handCase())
    const accumulator = new MahalanobisAccumulator(2, 2)
    accumulator.add(train.features, train.labels)
    expect(fit.mahalanobis).toStrictEqual(accumulator.finish())
    expect(fit.mahalanobisOmitted).toBeNull()
  })

  it('gives no selective spec when no threshold meets the target risk', () => {
    const fit = fitDeployment(handCase({ targetRisk: 0.1 }))
    expect(fit.selective.threshold).toBe(Infinity)
    expect(fit.selectiveSpec).toBeNull()
  })

  it('computes MC thresholds at S and the seed, as the head kernel serves them, accepting the target fraction', () => {
    let state = 9
    const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state / 2 ** 32)
    const d = 6
    const classes = 3
    const items = 40
    const randomHead = { weight: Float32Array.from({ length: d * classes }, () => next() * 2 - 1), bias: new Float32Array(classes), featureDim: d, classes, dropoutRate: 0.3 }
    const split = (n: number) => ({ features: Float32Array.from({ length: n * d }, () => next()), labels: Array.from({ length: n }, (_, i) => i % classes) })
    const heldOut = split(items)
    const fit = fitDeployment({ ...handCase(), head: randomHead, train: split(30), heldOut, samples: 8, seed: 5, targetAcceptance: 0.9, targetRisk: 0.3 })
    const prepared = kernel.prepare(randomHead)
    const out = prepared.run({ features: heldOut.features, batch: items, dropoutRate: 0.3, samples: 8, seed: 5, temperature: fit.calibration.temperature })
    for (const name of ['mc-entropy', 'mutual-information', 'msp', 'energy'] as const) {
      const scores = out.scores[name] ?? expect.fail(name)
      expect(fit.thresholds[name]).toBe(acceptanceThreshold(scores, 0.9))
      expect(scores.filter((s) => s <= (fit.thresholds[name] as number)).length / items).toBeGreaterThanOrEqual(0.9)
    }
    const top = topLabelPredictions(matrix(out.probabilities, items, classes), heldOut.labels)
    expect(fit.selective).toStrictEqual(selectiveThreshold(top.confidence, top.correct, 0.3))
  })

  it('fits T_cal on the served MC distribution at S: its NLL is minimal there, and below the z0-fitted temperature\'s', () => {
    let state = 21
    const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state / 2 ** 32)
    const d = 8
    const classes = 4
    const randomHead = { weight: Float32Array.from({ length: d * classes }, () => next() * 4 - 2), bias: new Float32Array(classes), featureDim: d, classes, dropoutRate: 0.5 }
    const features = Float32Array.from({ length: 200 * d }, () => next())
    // labels: the head's own argmax for 80% of items, a shifted class for the rest (a learnable, imperfect task)
    const labels = Array.from({ length: 200 }, (_, i) => {
      let best = 0
      const score = (c: number): number => features.subarray(i * d, (i + 1) * d).reduce((sum, h, k) => sum + h * (randomHead.weight[k * classes + c] as number), 0)
      for (let c = 1; c < classes; c++) if (score(c) > score(best)) best = c
      return i % 5 === 0 ? (best + 1) % classes : best
    })
    const heldOut = { features, labels }
    const mc = fitDeployment({ ...handCase(), head: randomHead, train: heldOut, heldOut, samples: 16, seed: 3 })
    const deterministic = fitDeployment({ ...handCase(), head: randomHead, train: heldOut, heldOut, samples: 0, seed: 3 })
    const prepared = kernel.prepare(randomHead)
    const nllAt = (t: number): number => {
      const out = prepared.run({ features: heldOut.features, batch: 200, dropoutRate: 0.5, samples: 16, seed: 3, temperature: t })
      return heldOut.labels.reduce((sum, y, i) => sum - Math.log(out.probabilities[i * classes + y] as number), 0) / 200
    }
    const t = mc.calibration.temperature
    expect(mc.calibration.atBound).toBeNull()
    expect(mc.metrics.nll).toBeCloseTo(nllAt(t), 5)
    expect(nllAt(t)).toBeLessThanOrEqual(nllAt(t * 1.05) + 1e-9)
    expect(nllAt(t)).toBeLessThanOrEqual(nllAt(t / 1.05) + 1e-9)
    expect(nllAt(t)).toBeLessThanOrEqual(nllAt(deterministic.calibration.temperature) + 1e-9)
  })

  it('fits T_cal by the Brier score when asked: its minimum over a grid, below the NLL temperature when a confident mistake drags NLL', () => {
    // z0 = [1, 0] eight times (7 labelled 0, 1 labelled 1) and z0 = [4, 0] once, labelled 1: NLL pays 4 / T nats for
    // the confident mistake and softens every item; Brier pays at most 2 for it
    const features = Float32Array.from([...Array.from({ length: 8 }, () => [1, 0]).flat(), 4, 0])
    const labels = [0, 0, 0, 0, 0, 0, 0, 1, 1]
    const byNll = fitDeployment(handCase({ heldOut: { features, labels } }))
    const byBrier = fitDeployment(handCase({ heldOut: { features, labels }, calibrationObjective: 'brier' }))
    const brierAt = (t: number): number => {
      const p = (z: number): number => 1 / (1 + Math.exp(-z / t)) // probability of class 0 for z0 = [z, 0]
      return (7 * 2 * (1 - p(1)) ** 2 + 2 * p(1) ** 2 + 2 * p(4) ** 2) / 9
    }
    const grid = Array.from({ length: 4000 }, (_, k) => 0.05 * Math.exp((k / 3999) * Math.log(400)))
    const best = grid.reduce((a, t) => (brierAt(t) < brierAt(a) ? t : a))
    expect(byBrier.calibration.temperature).toBeCloseTo(best, 2)
    expect(brierAt(byBrier.calibration.temperature)).toBeLessThanOrEqual(brierAt(best) + 1e-9)
    expect(byBrier.calibration.temperature).toBeLessThan(byNll.calibration.temperature * 0.8)
    expect(byBrier.metrics.nll).toBeGreaterThan(byNll.metrics.nll) // each objective wins its own score
    expect(byBrier.metrics.brier).toBeLessThan(byNll.metrics.brier)
  })

  it('fits the Brier temperature on the served MC distribution at S, as the head kernel serves it', () => {
    let state = 3
    const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0), state / 2 ** 32)
    const randomHead = { weight: Float32Array.from({ length: 12 }, () => next() * 4 - 2), bias: new Float32Array(3), featureDim: 4, classes: 3, dropoutRate: 0.3 }
    const features = Float32Array.from({ length: 60 * 4 }, () => next())
    const prepared = kernel.prepare(randomHead)
    // labels: the head's own argmax for three items in five, another class for the other two (an interior optimum)
    const { predicted } = topLabelPredictions(matrix(prepared.run({ features, batch: 60, dropoutRate: 0.3, samples: 0, seed: 0, temperature: 1 }).probabilities, 60, 3), new Int32Array(60))
    const heldOut = { features, labels: Array.from(predicted, (c, i) => (i % 5 >= 3 ? (c + 1) % 3 : c)) }
    const fit = fitDeployment({ ...handCase(), head: randomHead, train: heldOut, heldOut, samples: 8, seed: 2, calibrationObjective: 'brier' })
    expect(fit.calibration.atBound).toBeNull()
    const brierAt = (t: number): number => brierScore(matrix(prepared.run({ features: heldOut.features, batch: 60, dropoutRate: 0.3, samples: 8, seed: 2, temperature: t }).probabilities, 60, 3), heldOut.labels)
    const at = brierAt(fit.calibration.temperature)
    for (const factor of [0.9, 0.97, 1.03, 1.1]) expect(at).toBeLessThanOrEqual(brierAt(fit.calibration.temperature * factor))
    expect(fit.metrics.brier).toBeCloseTo(at, 6)
  })

  it('omits the Mahalanobis statistics only when asked to, naming the classes without data', () => {
    const oneClass = { features: train.features.slice(0, 6), labels: [0, 0, 0] }
    expect(() => fitDeployment(handCase({ train: oneClass }))).toThrow(/class 1 has no training features/)
    const fit = fitDeployment(handCase({ train: oneClass, mahalanobis: 'when-every-class-has-data' }))
    expect(fit.mahalanobis).toBeNull()
    expect(fit.mahalanobisOmitted?.classesWithoutData).toStrictEqual([1])
    expect(fit.thresholds.mahalanobis).toBeUndefined()
  })

  it('refuses empty or mismatched splits with typed errors', () => {
    expect(() => fitDeployment(handCase({ heldOut: { features: new Float32Array(0), labels: [] } }))).toThrow(InputError)
    expect(() => fitDeployment(handCase({ heldOut: { features: new Float32Array(5), labels: [0, 1, 0] } }))).toThrow(ShapeError)
    expect(() => fitDeployment(handCase({ train: { features: new Float32Array(4), labels: [0] } }))).toThrow(ShapeError)
    expect(() => fitDeployment(handCase({ heldOut: { features: Float32Array.from([1, 0]), labels: [2] } }))).toThrow(InputError)
  })
})
