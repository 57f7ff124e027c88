import { deriveSeed, dropoutMask } from '@sd-dropout/sdk'

/** Sub-stream of the run seed that training dropout masks come from (see `deriveSeed`). */
export const MASK_STREAM = 2

/**
 * The training dropout masks of one step, from the shared generator (`sdk/src/masks`): item b,
 * sample k uses `dropoutMask(deriveSeed(deriveSeed(runSeed, MASK_STREAM), step), b * K + k, D, p)`,
 * so every item of every step gets its own masks, identically on every backend and on resume.
 *
 * @param runSeed the run's seed
 * @param step global optimisation step
 * @param items B, the batch size
 * @param samples K
 * @param featureDim D
 * @param rate p
 * @returns K x B x D values, sample-major (the layout `sdDropoutTerm` takes)
 * @example
 * ```ts
 * const masks = tf.tensor3d(trainingMasks(seed, step, 128, 2, 64, 0.5), [2, 128, 64])
 * ```
 */
export function trainingMasks(runSeed: number, step: number, items: number, samples: number, featureDim: number, rate: number): Float32Array {
  const seed = deriveSeed(deriveSeed(runSeed, MASK_STREAM), step)
  const out = new Float32Array(samples * items * featureDim)
  for (let k = 0; k < samples; k++) {
    for (let b = 0; b < items; b++) {
      dropoutMask(seed, b * samples + k, featureDim, rate, out.subarray((k * items + b) * featureDim, (k * items + b + 1) * featureDim))
    }
  }
  return out
}
