import { deriveSeed } from '@sd-dropout/sdk'

/**
 * A deterministic stream of initializer seeds: the i-th call returns `deriveSeed(seed, i)`, so
 * layer i of a model gets the same initial weights on every run with the same seed.
 *
 * @example
 * ```ts
 * const next = initializerSeeds(42)
 * tfl.layers.dense({ units: 10, kernelInitializer: tfl.initializers.glorotUniform({ seed: next() }) })
 * ```
 */
export function initializerSeeds(seed: number): () => number {
  let index = 0
  // tfjs initializers hand the seed to seedrandom, which accepts any number; keep it positive and < 2^31.
  return () => deriveSeed(seed, index++) & 0x7fffffff
}
