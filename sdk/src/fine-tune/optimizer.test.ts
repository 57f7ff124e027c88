import { describe, expect, it } from 'vitest'
import { ADAM, createOptimizer } from './optimizer.js'

describe('createOptimizer', () => {
  it('sgd with momentum and weight decay takes the hand-computed steps', () => {
    const theta = Float32Array.of(1, -2)
    const optimizer = createOptimizer({ optimizer: 'sgd', learningRate: 0.1, momentum: 0.5, weightDecay: 0.01 }, [2])
    optimizer.step([theta], [[0.5, 1]])
    // d = g + 0.01 theta = [0.51, 0.98]; v = d; theta -= 0.1 v
    expect(theta[0]).toBeCloseTo(1 - 0.051, 6)
    expect(theta[1]).toBeCloseTo(-2 - 0.098, 6)
    optimizer.step([theta], [[0, 0]])
    // v = 0.5 [0.51, 0.98] + 0.01 theta
    expect(theta[0]).toBeCloseTo(0.949 - 0.1 * (0.255 + 0.00949), 6)
    expect(theta[1]).toBeCloseTo(-2.098 - 0.1 * (0.49 - 0.02098), 6)
  })

  it('adam moves each parameter by about the learning rate on the first step (bias-corrected)', () => {
    const weight = Float32Array.of(0, 0, 0)
    const bias = Float32Array.of(5)
    const optimizer = createOptimizer({ optimizer: 'adam', learningRate: 0.01, momentum: 0, weightDecay: 0 }, [3, 1])
    optimizer.step([weight, bias], [[2, -0.001, 0], [100]])
    // m_hat = g, s_hat = g^2: step = lr g / (|g| + eps) = lr sign(g)
    expect(weight[0]).toBeCloseTo(-0.01, 7)
    expect(weight[1]).toBeCloseTo(0.01 * (0.001 / (0.001 + ADAM.epsilon)), 7)
    expect(weight[2]).toBe(0)
    expect(bias[0]).toBeCloseTo(4.99, 6)
    optimizer.step([weight, bias], [[2, -0.001, 0], [100]])
    // a constant gradient keeps m_hat = g and s_hat = g^2: another step of lr sign(g)
    expect(weight[0]).toBeCloseTo(-0.02, 6)
  })

  it('keeps separate state per parameter array', () => {
    const a = Float32Array.of(0)
    const b = Float32Array.of(0)
    const optimizer = createOptimizer({ optimizer: 'sgd', learningRate: 1, momentum: 0.9, weightDecay: 0 }, [1, 1])
    optimizer.step([a, b], [[1], [0]])
    optimizer.step([a, b], [[0], [1]])
    expect(a[0]).toBeCloseTo(-1.9, 6)
    expect(b[0]).toBeCloseTo(-1, 6)
  })
})
