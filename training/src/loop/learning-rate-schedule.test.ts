import { describe, expect, it } from 'vitest'
import { learningRateAt } from './learning-rate-schedule.js'

const clock = (step: number) => ({ step, stepsPerEpoch: 10, epochs: 5 })

describe('learningRateAt', () => {
  it('warms up linearly, then follows the schedule', () => {
    expect(learningRateAt(0.1, { kind: 'constant' }, 1, clock(0))).toBeCloseTo(0.01, 12)
    expect(learningRateAt(0.1, { kind: 'constant' }, 1, clock(9))).toBeCloseTo(0.1, 12)
    expect(learningRateAt(0.1, { kind: 'constant' }, 1, clock(30))).toBe(0.1)
  })

  it('steps down by gamma at each milestone epoch', () => {
    const schedule = { kind: 'multistep', milestones: [2, 4], gamma: 0.1 } as const
    expect(learningRateAt(0.1, schedule, 0, clock(19))).toBeCloseTo(0.1, 12)
    expect(learningRateAt(0.1, schedule, 0, clock(20))).toBeCloseTo(0.01, 12)
    expect(learningRateAt(0.1, schedule, 0, clock(45))).toBeCloseTo(0.001, 12)
  })

  it('anneals by a cosine from the base rate to the minimum', () => {
    const schedule = { kind: 'cosine', minimum: 0 } as const
    expect(learningRateAt(0.2, schedule, 0, clock(0))).toBeCloseTo(0.2, 12)
    expect(learningRateAt(0.2, schedule, 0, clock(25))).toBeCloseTo(0.1, 12)
    expect(learningRateAt(0.2, schedule, 0, clock(50))).toBeCloseTo(0, 12)
    // After a 1-epoch warm-up the cosine spans the remaining 40 steps.
    expect(learningRateAt(0.2, schedule, 1, clock(30))).toBeCloseTo(0.1, 12)
  })

  it('rejects a non-positive rate and a negative warm-up', () => {
    expect(() => learningRateAt(0, { kind: 'constant' }, 0, clock(0))).toThrow(/--lr/)
    expect(() => learningRateAt(0.1, { kind: 'constant' }, -1, clock(0))).toThrow(/--warmup-epochs/)
  })
})
