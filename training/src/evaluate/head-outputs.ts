import { createTypeScriptHeadKernel, type HeadKernelOutput } from '../sdk-imports.js'

/** A linear head on the host: W [D, C] feature-major and b [C], as the bundle stores them. */
export interface HostHead {
  readonly weight: Float32Array
  readonly bias: Float32Array
  readonly featureDim: number
  readonly classes: number
  /** Drop probability p of the MC-dropout in front of the head. */
  readonly dropoutRate: number
}

/**
 * Runs the SDK's reference (TypeScript) head kernel on pooled features: deterministic logits
 * z0 = hW + b and, for S >= 1, MC-dropout with masks `dropoutMask(seed, s, D, p)` (identical for
 * every item), summarised at T_cal with `summarizeSamples`, plus every head OOD score. The same
 * code the SDK serves with, so thresholds fitted here hold there.
 *
 * @param features N x D, item-major
 * @param samples S (0 = deterministic only)
 * @param temperature T_cal
 * @example
 * ```ts
 * const out = headOutputs(head, features, n, { samples: 32, seed: 0, temperature: 1.2 })
 * out.scores['mc-entropy'] // N values
 * ```
 */
export function headOutputs(head: HostHead, features: Float32Array, count: number, options: { samples: number; seed: number; temperature: number }): HeadKernelOutput {
  const prepared = createTypeScriptHeadKernel().prepare(head)
  try {
    return prepared.run({ features, batch: count, dropoutRate: head.dropoutRate, samples: options.samples, seed: options.seed, temperature: options.temperature })
  } finally {
    prepared.dispose()
  }
}
