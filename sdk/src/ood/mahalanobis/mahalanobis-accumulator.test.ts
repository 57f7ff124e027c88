import { describe, expect, it } from 'vitest'
import { InputError, OptionError, ShapeError } from '../../errors.js'
import { mahalanobisScore } from '../scores/mahalanobis-score.js'
import { ledoitWolfShrinkage } from './covariance-shrinkage.js'
import { MahalanobisAccumulator } from './mahalanobis-accumulator.js'
import { mahalanobisStatistics } from './mahalanobis-statistics.js'

const d = 5
const classes = 3
const items = 300

/** Features far from the origin (offset 1000, spread ~1) with class-dependent means, as float32. */
function dataset(): { features: Float32Array; labels: Int32Array } {
  let state = 11
  const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5
  const features = new Float32Array(items * d)
  const labels = new Int32Array(items)
  for (let i = 0; i < items; i++) {
    const y = i % 7 === 0 ? 2 : i % 2 // class 2 is rarer
    labels[i] = y
    const shared = next()
    for (let k = 0; k < d; k++) features[i * d + k] = 1000 + 3 * y * (k === y ? 1 : 0) + next() + (k < 2 ? shared : 0)
  }
  return { features, labels }
}

/** Two-pass float64 reference: class means, then Sigma = (1/N) sum_i (h_i - mu_y)(h_i - mu_y)^T. */
function oneShot(features: Float32Array, labels: Int32Array): { means: Float64Array; covariance: Float64Array } {
  const means = new Float64Array(classes * d)
  const counts = new Float64Array(classes)
  labels.forEach((y, i) => {
    counts[y] = (counts[y] as number) + 1
    for (let k = 0; k < d; k++) means[y * d + k] = (means[y * d + k] as number) + (features[i * d + k] as number)
  })
  for (let c = 0; c < classes; c++) for (let k = 0; k < d; k++) means[c * d + k] = (means[c * d + k] as number) / (counts[c] as number)
  const covariance = new Float64Array(d * d)
  labels.forEach((y, i) => {
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) {
        const ra = (features[i * d + a] as number) - (means[y * d + a] as number)
        const rb = (features[i * d + b] as number) - (means[y * d + b] as number)
        covariance[a * d + b] = (covariance[a * d + b] as number) + (ra * rb) / items
      }
    }
  })
  return { means, covariance }
}

function fitInChunks(sizes: readonly number[]): MahalanobisAccumulator {
  const { features, labels } = dataset()
  const accumulator = new MahalanobisAccumulator(d, classes)
  let start = 0
  for (const size of sizes) {
    accumulator.add(features.subarray(start * d, (start + size) * d), labels.subarray(start, start + size))
    start += size
  }
  expect(start).toBe(items)
  return accumulator
}

describe('MahalanobisAccumulator', () => {
  it('gives the one-shot float64 means and tied covariance however the data is chunked', () => {
    const { features, labels } = dataset()
    const reference = oneShot(features, labels)
    for (const sizes of [[items], [1, 2, 3, 4, 90, 200], Array.from({ length: items }, () => 1), [0, 150, 0, 150]]) {
      const accumulator = fitInChunks(sizes)
      expect(accumulator.count).toBe(items)
      accumulator.means().forEach((v, i) => expect(Math.abs(v - (reference.means[i] as number))).toBeLessThan(1e-10))
      accumulator.covariance().forEach((v, i) => expect(Math.abs(v - (reference.covariance[i] as number))).toBeLessThan(1e-11))
    }
  })

  it('inverts Sigma at shrinkage 0 and gives (D / tr Sigma) I at shrinkage 1', () => {
    const accumulator = fitInChunks([100, 200])
    const covariance = accumulator.covariance()
    const exact = accumulator.finish({ shrinkage: 0 })
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0
        for (let k = 0; k < d; k++) s += (covariance[i * d + k] as number) * (exact.precision[k * d + j] as number)
        expect(s).toBeCloseTo(i === j ? 1 : 0, 5) // precision is stored as float32
      }
    }
    let trace = 0
    for (let k = 0; k < d; k++) trace += covariance[k * d + k] as number
    const isotropic = accumulator.finish({ shrinkage: 1 })
    isotropic.precision.forEach((v, i) => expect(v).toBeCloseTo(i % (d + 1) === 0 ? d / trace : 0, 5))
    expect(isotropic.shrinkage).toBe(1)
    // shrinkage 1 turns the score into a scaled squared Euclidean distance
    const h = Array.from({ length: d }, (_, k) => 1001 + 0.1 * k)
    let euclidean = Infinity
    for (let c = 0; c < classes; c++) {
      let s = 0
      for (let k = 0; k < d; k++) s += ((h[k] as number) - (isotropic.means[c * d + k] as number)) ** 2
      euclidean = Math.min(euclidean, s)
    }
    expect(mahalanobisScore(h, isotropic)).toBeCloseTo((euclidean * d) / trace, 4)
  })

  it('defaults to the Rao-Blackwellised Ledoit-Wolf weight with n = N - C', () => {
    const accumulator = fitInChunks([items])
    const stats = accumulator.finish()
    expect(stats.shrinkage).toBe(ledoitWolfShrinkage(accumulator.covariance(), d, items - classes))
    expect(stats.shrinkage).toBeGreaterThan(0)
    expect(stats.shrinkage).toBeLessThan(0.5)
    expect(stats.fittedOn).toBe(items)
  })

  it('fits a hand-worked 2-D example', () => {
    // class 0 at (0, +-1), class 1 at (4, +-1): means (0, 0), (4, 0), Sigma = [[0, 0], [0, 1]] (singular)
    const accumulator = new MahalanobisAccumulator(2, 2)
    accumulator.add(new Float32Array([0, 1, 4, 1]), [0, 1])
    accumulator.add(new Float32Array([0, -1, 4, -1]), [0, 1])
    expect(Array.from(accumulator.covariance())).toStrictEqual([0, 0, 0, 1])
    expect(() => accumulator.finish({ shrinkage: 0 })).toThrow(InputError)
    // a = 0.5: 0.5 Sigma + 0.25 I = diag(0.25, 0.75) -> P = diag(4, 4/3)
    const stats = accumulator.finish({ shrinkage: 0.5 })
    expect(Array.from(stats.means)).toStrictEqual([0, 0, 4, 0])
    expect(stats.precision[0]).toBeCloseTo(4, 6)
    expect(stats.precision[3]).toBeCloseTo(4 / 3, 6)
    expect(stats.precision[1]).toBe(0)
    expect(mahalanobisScore([1, 1.5], stats)).toBeCloseTo(7, 5) // min(4 + 3, 36 + 3)
    expect(mahalanobisScore([2, 0], stats)).toBeCloseTo(16, 5)
  })

  it('rebuilds the same statistics from its stored float32 means and precision', () => {
    const stats = fitInChunks([items]).finish({ shrinkage: 0.1 })
    const rebuilt = mahalanobisStatistics(Float32Array.from(stats.means), Float32Array.from(stats.precision), d, classes, 0.1, items)
    expect(rebuilt).toStrictEqual(stats)
  })

  it('names a class without data and rejects bad input without changing state', () => {
    const accumulator = new MahalanobisAccumulator(2, 3)
    accumulator.add(new Float32Array([0, 1, 2, 3, 1, 1]), [0, 2, 0])
    try {
      accumulator.finish({ shrinkage: 0.5 })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(InputError)
      expect((error as InputError).details).toStrictEqual({ class: 1 })
    }
    const before = accumulator.covariance()
    expect(() => accumulator.add(new Float32Array([0, 1]), [3])).toThrow(InputError)
    expect(() => accumulator.add(new Float32Array([0, 1]), [0.5])).toThrow(InputError)
    expect(() => accumulator.add(new Float32Array([Number.NaN, 1]), [1])).toThrow(InputError)
    expect(() => accumulator.add(new Float32Array([0, 1, 2]), [1])).toThrow(ShapeError)
    expect(accumulator.covariance()).toStrictEqual(before)
    expect(accumulator.count).toBe(3)
    accumulator.add(new Float32Array([5, 5]), [1])
    expect(() => accumulator.finish({ shrinkage: 2 })).toThrow(OptionError)
    expect(() => new MahalanobisAccumulator(0, 2)).toThrow(ShapeError)
    expect(() => new MahalanobisAccumulator(2, 2).covariance()).toThrow(InputError)
  })
})
