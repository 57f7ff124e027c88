import { describe, expect, it } from 'vitest'
import { InputError, OptionError, ShapeError } from '../errors.js'
import { dropoutHash } from '../masks/dropout-mask.js'
import { matrix, matrixFromRows } from '../math/matrix.js'
import { softmax } from '../math/softmax.js'
import { adaptiveCalibrationError, expectedCalibrationError, maximumCalibrationError } from './calibration-error.js'

// Six items, three classes; confidence (max p) / correct:
//   0.9 right, 0.8 wrong, 0.7 right, 0.4 right, 0.5 wrong, 0.6 right.
const probabilities = matrixFromRows([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.2, 0.5, 0.3], [0.35, 0.6, 0.05]])
const labels = [0, 1, 1, 2, 0, 1]

describe('expectedCalibrationError and maximumCalibrationError', () => {
  it('match the hand computation with 15 bins (every item alone in its bin)', () => {
    // Bins of width 1/15: 0.9 -> 13, 0.8 -> 12 (edge), 0.7 -> 10, 0.6 -> 9 (edge), 0.5 -> 7,
    // 0.4 -> 6 (edge). Gaps |acc - conf|: 0.1, 0.8, 0.3, 0.4, 0.5, 0.6.
    // ECE = (0.1 + 0.8 + 0.3 + 0.4 + 0.5 + 0.6) / 6 = 2.7 / 6 = 0.45; MCE = 0.8.
    expect(expectedCalibrationError(probabilities, labels)).toBeCloseTo(0.45, 14)
    expect(maximumCalibrationError(probabilities, labels)).toBeCloseTo(0.8, 14)
  })
  it('match the hand computation with 5 bins', () => {
    // [.4, .6): 0.4 right, 0.5 wrong -> conf 0.45, acc 0.5, gap 0.05
    // [.6, .8): 0.6 right, 0.7 right -> conf 0.65, acc 1, gap 0.35
    // [.8, 1]: 0.8 wrong, 0.9 right -> conf 0.85, acc 0.5, gap 0.35
    // ECE = (2/6)(0.05 + 0.35 + 0.35) = 0.25; MCE = 0.35.
    expect(expectedCalibrationError(probabilities, labels, { bins: 5 })).toBeCloseTo(0.25, 14)
    expect(maximumCalibrationError(probabilities, labels, { bins: 5 })).toBeCloseTo(0.35, 14)
  })
  it('are 0 for a perfectly calibrated constructed set', () => {
    // Confidence 0.8 on five items, four right; confidence 0.6 on five items, three right.
    const rows = [...Array<number[]>(5).fill([0.8, 0.2]), ...Array<number[]>(5).fill([0.4, 0.6])]
    const y = [0, 0, 0, 0, 1, 1, 1, 1, 0, 0]
    expect(expectedCalibrationError(matrixFromRows(rows), y)).toBeCloseTo(0, 14)
    expect(maximumCalibrationError(matrixFromRows(rows), y)).toBeCloseTo(0, 14)
    expect(adaptiveCalibrationError(matrixFromRows(rows), y)).toBeCloseTo(0, 14)
  })
  it('reach 1 for confidence 1 and always wrong', () => {
    expect(expectedCalibrationError(matrixFromRows([[1, 0], [0, 1]]), [1, 0])).toBe(1)
    expect(maximumCalibrationError(matrixFromRows([[1, 0], [0, 1]]), [1, 0])).toBe(1)
  })
})

describe('adaptiveCalibrationError', () => {
  it('matches the hand computation with 2 equal-mass bins', () => {
    // Low half 0.4, 0.5, 0.6: conf 0.5, acc 2/3, gap 1/6; high half 0.7, 0.8, 0.9: conf 0.8,
    // acc 2/3, gap 2/15. ACE = (1/2)(1/6) + (1/2)(2/15) = 9/60 = 0.15.
    expect(adaptiveCalibrationError(probabilities, labels, { bins: 2 })).toBeCloseTo(0.15, 14)
  })
  it('equals ECE when every item has its own bin (default 15 bins, 6 items)', () => {
    expect(adaptiveCalibrationError(probabilities, labels)).toBeCloseTo(0.45, 14)
  })
})

describe('calibration errors on random predictions', () => {
  it('stay in [0, 1] with MCE >= ECE', () => {
    for (let trial = 0; trial < 40; trial++) {
      const rows = 1 + ((trial * 7) % 60)
      const cols = 2 + (trial % 6)
      const data = new Float64Array(rows * cols)
      const y: number[] = []
      for (let i = 0; i < rows; i++) {
        const z = Array.from({ length: cols }, (_, j) => (dropoutHash(trial, i, j) / 2 ** 32 - 0.5) * 10)
        data.set(softmax(z), i * cols)
        y.push(dropoutHash(trial, i, 77) % cols)
      }
      const p = matrix(data, rows, cols)
      const ece = expectedCalibrationError(p, y)
      const ace = adaptiveCalibrationError(p, y)
      const mce = maximumCalibrationError(p, y)
      for (const v of [ece, ace, mce]) {
        expect(v).toBeGreaterThanOrEqual(0)
        expect(v).toBeLessThanOrEqual(1)
      }
      expect(mce).toBeGreaterThanOrEqual(ece - 1e-15)
    }
  })
  it('reject bad bins and invalid input', () => {
    expect(() => expectedCalibrationError(probabilities, labels, { bins: 1.5 })).toThrow(OptionError)
    expect(() => adaptiveCalibrationError(probabilities, labels, { bins: 0 })).toThrow(OptionError)
    expect(() => maximumCalibrationError(probabilities, [0, 1])).toThrow(ShapeError)
    expect(() => expectedCalibrationError(matrix(new Float64Array(0), 0, 3), [])).toThrow(/empty/)
    expect(() => expectedCalibrationError(probabilities, [0, 1, 1, 2, 0, 3])).toThrow(InputError)
  })
})
