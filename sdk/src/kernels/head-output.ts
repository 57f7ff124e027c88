import type { HeadKernelOutput } from './head-kernel.js'

/**
 * A zero-filled {@link HeadKernelOutput} for B items, C classes and S samples, the MC scores `null`
 * when S < 2. Kernels fill it in place. Every array is a view into one fresh buffer (one allocation
 * instead of twelve); the caller owns it.
 *
 * @example
 * ```ts
 * const out = createHeadOutput(2, 3, 8)
 * out.logits.length // 6
 * ```
 */
export function createHeadOutput(batch: number, classes: number, samples: number): HeadKernelOutput {
  const monteCarlo = samples >= 2
  const buffer = new Float32Array(2 * batch * classes + (monteCarlo ? 10 : 8) * batch)
  let used = 0
  const take = (length: number): Float32Array => buffer.subarray(used, (used += length))
  const perItem = (): Float32Array => take(batch)
  return {
    batch,
    classes,
    samples,
    logits: take(batch * classes),
    probabilities: take(batch * classes),
    predictiveEntropy: perItem(),
    expectedEntropy: perItem(),
    mutualInformation: perItem(),
    variance: perItem(),
    scores: {
      msp: perItem(),
      'max-logit': perItem(),
      energy: perItem(),
      entropy: perItem(),
      'mc-entropy': monteCarlo ? perItem() : null,
      'mutual-information': monteCarlo ? perItem() : null,
    },
  }
}
