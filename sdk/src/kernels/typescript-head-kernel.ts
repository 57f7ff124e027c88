import { KernelError } from '../errors.js'
import { dropoutMask } from '../masks/dropout-mask.js'
import { energyScore, maxLogitScore, maxSoftmaxProbabilityScore, monteCarloEntropyScore, mutualInformationScore, softmaxEntropyScore } from '../ood/index.js'
import { summarizeDeterministic, summarizeSamples } from '../uncertainty/summarize-samples.js'
import type { HeadKernel, HeadKernelOutput, HeadRunInput, HeadWeights, PreparedHead } from './head-kernel.js'
import { createHeadOutput } from './head-output.js'
import { assertHeadRunInput, assertHeadWeights } from './validate-head-input.js'

/**
 * The reference {@link HeadKernel} in plain TypeScript: straightforward loops over typed arrays with
 * float64 accumulation, masks from the shared generator (`dropoutMask`), uncertainty from
 * `summarizeSamples` / `summarizeDeterministic` and OOD scores from the `ood` score functions, so it
 * is the definition the SIMD kernel is tested against. Also the fallback where WebAssembly SIMD is missing.
 *
 * Cost per call: B * S * D * C multiply-adds (dropped features are skipped), plus B * (S + 1) softmaxes.
 *
 * @example
 * ```ts
 * const head = createTypeScriptHeadKernel().prepare({ weight, bias, featureDim: 2, classes: 3 })
 * head.run({ features, batch: 1, dropoutRate: 0.5, samples: 8, seed: 0, temperature: 1 }).probabilities
 * ```
 */
export function createTypeScriptHeadKernel(): HeadKernel {
  return { name: 'typescript', prepare: prepareTypeScriptHead, memoryBytes: () => 0 }
}

function prepareTypeScriptHead(weights: HeadWeights): PreparedHead {
  assertHeadWeights(weights)
  const head: LinearHead = { weight: weights.weight.slice(), bias: weights.bias.slice(), featureDim: weights.featureDim, classes: weights.classes }
  let disposed = false
  return {
    featureDim: head.featureDim,
    classes: head.classes,
    run(input: HeadRunInput): HeadKernelOutput {
      if (disposed) throw new KernelError('this prepared head was disposed; prepare the head again', { kernel: 'typescript' })
      assertHeadRunInput(input, head.featureDim)
      return runTypeScriptHead(head, input)
    },
    dispose(): void {
      disposed = true
    },
  }
}

interface LinearHead {
  readonly weight: Float32Array
  readonly bias: Float32Array
  readonly featureDim: number
  readonly classes: number
}

function runTypeScriptHead(head: LinearHead, input: HeadRunInput): HeadKernelOutput {
  const { featureDim, classes } = head
  const { batch, samples, temperature, features } = input
  const out = createHeadOutput(batch, classes, samples)
  const masks = new Float32Array(samples * featureDim)
  for (let s = 0; s < samples; s++) dropoutMask(input.seed, s, featureDim, input.dropoutRate, masks.subarray(s * featureDim, (s + 1) * featureDim))
  const logits = new Float64Array(classes)
  const sampleLogits = new Float64Array(samples * classes)
  const { scores } = out
  for (let i = 0; i < batch; i++) {
    const itemOffset = i * featureDim
    linear(head, features, itemOffset, null, 0, logits, 0)
    for (let s = 0; s < samples; s++) linear(head, features, itemOffset, masks, s * featureDim, sampleLogits, s * classes)
    const summary = samples > 0 ? summarizeSamples(sampleLogits, samples, classes, temperature) : summarizeDeterministic(logits, temperature)
    out.logits.set(logits, i * classes)
    out.probabilities.set(summary.probabilities, i * classes)
    out.predictiveEntropy[i] = summary.predictiveEntropy
    out.expectedEntropy[i] = summary.expectedEntropy
    out.mutualInformation[i] = summary.mutualInformation
    out.variance[i] = summary.variance
    scores.msp[i] = maxSoftmaxProbabilityScore(logits, temperature)
    scores['max-logit'][i] = maxLogitScore(logits)
    scores.energy[i] = energyScore(logits)
    scores.entropy[i] = softmaxEntropyScore(logits, temperature)
    if (scores['mc-entropy'] !== null) scores['mc-entropy'][i] = monteCarloEntropyScore(summary)
    if (scores['mutual-information'] !== null) scores['mutual-information'][i] = mutualInformationScore(summary)
  }
  return out
}

/**
 * out[outOffset + c] = b[c] + sum_d h[d] * m[d] * W[d, c] in float64, with h the item at `featureOffset`
 * and m the scaled mask at `maskOffset` (all ones when `masks` is null); dropped features are skipped.
 */
function linear(head: LinearHead, features: Float32Array, featureOffset: number, masks: Float32Array | null, maskOffset: number, out: Float64Array, outOffset: number): void {
  const { weight, bias, featureDim, classes } = head
  for (let c = 0; c < classes; c++) out[outOffset + c] = bias[c] as number
  for (let d = 0; d < featureDim; d++) {
    const x = (features[featureOffset + d] as number) * (masks === null ? 1 : (masks[maskOffset + d] as number))
    if (x === 0) continue
    const row = d * classes
    for (let c = 0; c < classes; c++) out[outOffset + c] = (out[outOffset + c] as number) + x * (weight[row + c] as number)
  }
}
