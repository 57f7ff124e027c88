import { describe, expect, it } from 'vitest'
import { InputError } from '../errors.js'
import { initialHead } from './initial-head.js'

// D = 2, one parent class 'a' with w_a = [3, 4] (norm 5) and b_a = 1.
const parent = { weight: Float32Array.of(3, 4), bias: Float32Array.of(1), labels: ['a'], featureDim: 2 }
const features = Float32Array.of(1, 0, 0, 2, 0, 4)

describe('initialHead', () => {
  it('keeps the parent head unchanged for the same labels', () => {
    const head = initialHead(parent, ['a'], features, Int32Array.of(0, 0, 0), Int32Array.of(0, 1, 2))
    expect(head).toStrictEqual({ weight: Float32Array.of(3, 4), bias: Float32Array.of(1), newClasses: [] })
  })

  it('imprints a new class from its mean at the parent scale, level with the kept class on its examples', () => {
    const head = initialHead(parent, ['a', 'b'], features, Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 2))
    // mu_b = [0, 3] -> w_b = 5 [0, 1]; b_b = mean(z_a - w_b.h) over b's examples = mean(9 - 10, 17 - 20) = -2
    expect(head).toStrictEqual({ weight: Float32Array.of(3, 0, 4, 5), bias: Float32Array.of(1, -2), newClasses: [1] })
  })

  it('moves kept columns to their new index and starts all-new classes at logit 0 on average', () => {
    const head = initialHead(parent, ['x', 'a'], features, Int32Array.of(0, 0, 1), Int32Array.of(0, 1, 2))
    // x: examples 0 and 1, mu_x = [0.5, 1] -> w_x = 5 mu / |mu| = [sqrt 5, 2 sqrt 5]; reference = z_a
    const w = Math.sqrt(5)
    expect(head.newClasses).toStrictEqual([0])
    expect(Array.from(head.weight)).toStrictEqual(Array.from(Float32Array.of(w, 3, 2 * w, 4)))
    expect(head.bias[1]).toBe(1)
    expect(head.bias[0]).toBeCloseTo(((1 + 3 - w) + (1 + 8 - 4 * w)) / 2, 5)
    const fresh = initialHead(parent, ['x', 'y'], features, Int32Array.of(0, 1, 1), Int32Array.of(0, 1, 2))
    expect(Array.from(fresh.weight)).toStrictEqual([5, 0, 0, 5])
    expect(Array.from(fresh.bias)).toStrictEqual([-5, -15])
  })

  it('refuses a new class with no training example', () => {
    expect(() => initialHead(parent, ['a', 'b'], features, Int32Array.of(0, 1, 1), Int32Array.of(0))).toThrow(InputError)
  })
})
