import { describe, expect, it } from 'vitest'
import { OptionError } from '../errors.js'
import { matrixFromRows } from '../math/matrix.js'
import { assertCalibrationObjective, CALIBRATION_OBJECTIVES, calibrationLoss } from './calibration-objective.js'

describe('calibrationLoss', () => {
  const p = matrixFromRows([[0.8, 0.2], [0.4, 0.6]])
  it('is the mean Brier score or the mean NLL, hand-computed', () => {
    // Brier: (0.04 + 0.04) and (0.36 + 0.36) -> mean 0.4; NLL: (-ln 0.8 - ln 0.4) / 2
    expect(calibrationLoss('brier', p, [0, 0])).toBeCloseTo(0.4, 14)
    expect(calibrationLoss('nll', p, [0, 0])).toBeCloseTo(-(Math.log(0.8) + Math.log(0.4)) / 2, 14)
  })
  it('bounds a confident mistake under Brier (at most 2) where NLL grows without bound', () => {
    const confidentlyWrong = matrixFromRows([[1 - 1e-9, 1e-9]])
    expect(calibrationLoss('brier', confidentlyWrong, [1])).toBeCloseTo(2, 8)
    expect(calibrationLoss('nll', confidentlyWrong, [1])).toBeCloseTo(-Math.log(1e-9), 6)
  })
})

describe('assertCalibrationObjective', () => {
  it('accepts the objectives and refuses anything else, naming the option', () => {
    for (const objective of CALIBRATION_OBJECTIVES) expect(assertCalibrationObjective('calibrationObjective', objective)).toBe(objective)
    expect(() => assertCalibrationObjective('calibrationObjective', 'ece')).toThrow(new OptionError('calibrationObjective', 'must be nll or brier, got ece'))
    expect(() => assertCalibrationObjective('calibrationObjective', undefined)).toThrow(OptionError)
  })
})
