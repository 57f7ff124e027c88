import { describe, expect, it } from 'vitest'
import { OptionError } from '../errors.js'
import { dropThreshold, dropoutHash, dropoutMask, isKept, mix32 } from './dropout-mask.js'

describe('dropout mask generator', () => {
  it('is a pure function of (seed, sample, feature) with fixed known values', () => {
    // Pinned so that every implementation (TS, AssemblyScript, anything else) can check itself.
    expect(mix32(0)).toBe(0)
    expect(mix32(1)).toBe(0x514e28b7)
    expect([dropoutHash(0, 0, 0), dropoutHash(1, 0, 0), dropoutHash(0, 1, 0), dropoutHash(0, 0, 1), dropoutHash(7, 31, 255)]).toStrictEqual([
      0xc6679978, 0x3db169e0, 0xc3f5c5ef, 0xe2c2d9e6, 0xe9051922,
    ])
  })

  it.each([0.1, 0.5, 0.9])('keeps a fraction within 1%% of 1 - p over 1e6 draws (p = %f)', (rate) => {
    let kept = 0
    const features = 1000
    for (let sample = 0; sample < 1000; sample++) {
      const mask = dropoutMask(12345, sample, features, rate)
      for (const value of mask) if (value > 0) kept++
    }
    expect(Math.abs(kept / 1e6 - (1 - rate))).toBeLessThan(0.01 * (1 - rate))
  })

  it('is identical across runs and independent of call order', () => {
    const a = dropoutMask(99, 5, 64, 0.5)
    const b = new Float32Array(64)
    for (let d = 63; d >= 0; d--) b[d] = isKept(99, 5, d, 0.5) ? 2 : 0
    expect(Array.from(a)).toStrictEqual(Array.from(b))
    expect(Array.from(dropoutMask(99, 5, 64, 0.5))).toStrictEqual(Array.from(a))
  })

  it('scales kept features by 1 / (1 - p) and keeps everything at p = 0', () => {
    const mask = dropoutMask(3, 0, 100, 0.25)
    for (const value of mask) expect([0, Math.fround(1 / 0.75)]).toContain(value)
    expect(Array.from(dropoutMask(3, 0, 10, 0))).toStrictEqual(new Array<number>(10).fill(1))
  })

  it('gives different samples uncorrelated masks', () => {
    const features = 20_000
    const a = dropoutMask(1, 0, features, 0.5)
    const b = dropoutMask(1, 1, features, 0.5)
    let agree = 0
    for (let d = 0; d < features; d++) if ((a[d] as number) > 0 === (b[d] as number) > 0) agree++
    expect(Math.abs(agree / features - 0.5)).toBeLessThan(0.02)
  })

  it('rejects a rate outside [0, 1)', () => {
    expect(() => dropThreshold(1)).toThrow(OptionError)
    expect(() => dropThreshold(-0.1)).toThrow(OptionError)
    expect(() => dropThreshold(Number.NaN)).toThrow(OptionError)
  })
})
