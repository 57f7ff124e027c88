import { describe, expect, it } from 'vitest'
import { InputError } from '../../errors.js'
import { positiveDefiniteInverse } from './positive-definite-inverse.js'

describe('positiveDefiniteInverse', () => {
  it('inverts a hand-worked 2 x 2 matrix', () => {
    // [[4, 2], [2, 3]]^-1 = [[3, -2], [-2, 4]] / 8
    const inverse = positiveDefiniteInverse(new Float64Array([4, 2, 2, 3]), 2)
    expect(Array.from(inverse).map((v) => Number(v.toFixed(14)))).toStrictEqual([0.375, -0.25, -0.25, 0.5])
  })

  it('gives A A^-1 = I for a random symmetric positive-definite matrix', () => {
    const n = 7
    let state = 3
    const next = (): number => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32) - 0.5
    const b = Array.from({ length: n * n }, next)
    const a = new Float64Array(n * n)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] = (a[i * n + j] as number) + (b[i * n + k] as number) * (b[j * n + k] as number) + (i === j && k === 0 ? 0.1 : 0)
    const inverse = positiveDefiniteInverse(a, n)
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0
        for (let k = 0; k < n; k++) s += (a[i * n + k] as number) * (inverse[k * n + j] as number)
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10)
        expect(inverse[i * n + j]).toBe(inverse[j * n + i])
      }
    }
  })

  it('raises InputError naming the pivot for singular or indefinite matrices', () => {
    expect(() => positiveDefiniteInverse(new Float64Array([1, 1, 1, 1]), 2)).toThrow(InputError)
    try {
      positiveDefiniteInverse(new Float64Array([1, 0, 0, -2]), 2, 'test matrix')
      expect.unreachable()
    } catch (error) {
      expect((error as InputError).message).toMatch(/test matrix is not positive definite/)
      expect((error as InputError).details.pivot).toBe(1)
    }
  })
})
