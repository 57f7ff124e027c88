import { describe, expect, it } from 'vitest'
import { InputError, OptionError, ShapeError } from '../errors.js'
import { dropoutHash } from '../masks/dropout-mask.js'
import { matrix, matrixFromRows } from '../math/matrix.js'
import type { Matrix } from '../math/matrix.js'
import { softmax } from '../math/softmax.js'
import { fitTemperature } from './fit-temperature.js'
import { negativeLogLikelihoodFromLogits } from './negative-log-likelihood.js'

/** A uniform in (0, 1) from the shared counter-based hash: seeded and order-independent. */
function uniform(seed: number, i: number, j: number): number {
  return (dropoutHash(seed, i, j) + 0.5) / 2 ** 32
}

/** N x C Gaussian logits (standard deviation `scale`) with labels drawn from softmax(z / trueTemperature). */
function sampledAt(trueTemperature: number, n: number, classes: number, scale: number, seed: number): { logits: Matrix; labels: Int32Array } {
  const z = new Float64Array(n * classes)
  const labels = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < classes; j++) {
      z[i * classes + j] = scale * Math.sqrt(-2 * Math.log(uniform(seed, i, 2 * j))) * Math.cos(2 * Math.PI * uniform(seed, i, 2 * j + 1))
    }
    const p = softmax(z.subarray(i * classes, (i + 1) * classes), trueTemperature)
    let r = uniform(seed, i, 2 * classes)
    let y = 0
    while (y < classes - 1 && r >= (p[y] as number)) r -= p[y++] as number
    labels[i] = y
  }
  return { logits: matrix(z, n, classes), labels }
}

/** Golden-section minimum of the NLL over ln T: an independent reference for the Newton fit. */
function goldenSection(logits: Matrix, labels: ArrayLike<number>, lower: number, upper: number): number {
  const ratio = (Math.sqrt(5) - 1) / 2
  let a = Math.log(lower)
  let b = Math.log(upper)
  const f = (u: number): number => negativeLogLikelihoodFromLogits(logits, labels, Math.exp(u))
  while (b - a > 1e-9) {
    const c = b - ratio * (b - a)
    const d = a + ratio * (b - a)
    if (f(c) < f(d)) b = d
    else a = c
  }
  return Math.exp((a + b) / 2)
}

describe('fitTemperature', () => {
  it('has the closed-form optimum on a hand-worked set', () => {
    // Logits [1, 0] three times, labels 0, 0, 1. NLL'(s) = (-p1 - p1 + p0) / 3 = 0 at p0 = 2/3,
    // i.e. e^s = 2: s = ln 2, T = 1 / ln 2 = 1.4427.
    const fit = fitTemperature(matrixFromRows([[1, 0], [1, 0], [1, 0]]), [0, 0, 1])
    expect(fit.temperature).toBeCloseTo(1 / Math.LN2, 6)
    expect(fit.atBound).toBeNull()
    expect(fit.nllAfter).toBeCloseTo(-(2 * Math.log(2 / 3) + Math.log(1 / 3)) / 3, 12)
    expect(fit.nllAfter).toBeLessThan(fit.nllBefore)
    expect(fit.iterations).toBeGreaterThan(0)
  })

  it('recovers the temperature the labels were sampled at, within 2%', () => {
    for (const [trueTemperature, scale] of [[0.5, 1.5], [2, 4]] as const) {
      const { logits, labels } = sampledAt(trueTemperature, 30_000, 10, scale, 1)
      const fit = fitTemperature(logits, labels)
      expect(Math.abs(fit.temperature / trueTemperature - 1)).toBeLessThan(0.02)
      expect(fit.atBound).toBeNull()
      expect(fit.nllAfter).toBeLessThan(fit.nllBefore)
      expect(fit.nllAfter).toBeCloseTo(negativeLogLikelihoodFromLogits(logits, labels, fit.temperature), 14)
    }
  })

  it('finds the exact NLL minimum (agrees with golden-section search)', () => {
    const { logits, labels } = sampledAt(3, 500, 4, 2, 7)
    const fit = fitTemperature(logits, labels, { lower: 0.1, upper: 50 })
    expect(fit.temperature / goldenSection(logits, labels, 0.1, 50)).toBeCloseTo(1, 5)
    for (const nearby of [0.999, 1.001]) {
      expect(fit.nllAfter).toBeLessThanOrEqual(negativeLogLikelihoodFromLogits(logits, labels, fit.temperature * nearby))
    }
  })

  it('reports the lower bound for separable data (all correct, growing margins)', () => {
    const logits = matrixFromRows([[1, 0, 0], [0, 2, 0], [0, 0, 3], [4, 0, 0], [0, 5, 0]])
    const fit = fitTemperature(logits, [0, 1, 2, 0, 1])
    expect(fit).toMatchObject({ temperature: 0.05, atBound: 'lower', iterations: 0 })
    expect(fit.nllAfter).toBeLessThan(fit.nllBefore)
    expect(fitTemperature(logits, [0, 1, 2, 0, 1], { lower: 0.5, upper: 4 }).temperature).toBe(0.5)
  })

  it('reports the lower bound for degenerate data: one class, or a single label always predicted', () => {
    const oneClass = fitTemperature(matrixFromRows([[3], [-1]]), [0, 0])
    expect(oneClass).toMatchObject({ temperature: 0.05, atBound: 'lower', nllBefore: 0, nllAfter: 0 })
    const sameLabel = fitTemperature(matrixFromRows([[2, 1], [0.5, 0], [4, -4]]), [0, 0, 0])
    expect(sameLabel.atBound).toBe('lower')
  })

  it('reports the upper bound when every label is the least likely class', () => {
    const fit = fitTemperature(matrixFromRows([[3, 0, 1], [0, 2, 1], [1, 1.5, 0]]), [1, 0, 2])
    expect(fit).toMatchObject({ temperature: 20, atBound: 'upper', iterations: 0 })
    expect(fit.nllAfter).toBeLessThan(fit.nllBefore)
    expect(fit.nllAfter).toBeGreaterThan(Math.log(3))
  })

  it('rejects bad options and invalid input', () => {
    const logits = matrixFromRows([[1, 0]])
    expect(() => fitTemperature(logits, [0], { lower: 0 })).toThrow(OptionError)
    expect(() => fitTemperature(logits, [0], { lower: 2, upper: 1 })).toThrow(OptionError)
    expect(() => fitTemperature(logits, [0], { upper: Infinity })).toThrow(OptionError)
    expect(() => fitTemperature(logits, [0], { tolerance: 0 })).toThrow(OptionError)
    expect(() => fitTemperature(matrix(new Float64Array(0), 0, 2), [])).toThrow(/empty/)
    expect(() => fitTemperature(logits, [0, 1])).toThrow(ShapeError)
    expect(() => fitTemperature(logits, [2])).toThrow(InputError)
    expect(() => fitTemperature(matrixFromRows([[Number.NaN, 0]]), [0])).toThrow(InputError)
  })
})
