import { dropoutMask } from '../masks/dropout-mask.js'
import type { FloatArray } from '../math/matrix.js'
import { logSoftmax } from '../math/softmax.js'
import { argmax } from '../uncertainty/summarize-samples.js'
import type { HeadGradient, SdDropoutLossSettings } from './head-gradient-kernel.js'

/** Input of {@link sdDropoutHeadGradient}: like `HeadGradientInput`, but any float arrays (float64 for finite differences). */
export interface ReferenceGradientInput {
  /** W, D x C feature-major. */
  readonly weight: FloatArray
  /** b, C values. */
  readonly bias: FloatArray
  readonly featureDim: number
  readonly classes: number
  /** h of every example, N x D. */
  readonly features: FloatArray
  /** Class of every example, N values. */
  readonly labels: ArrayLike<number>
  /** The batch: example indices (also the mask keys). */
  readonly examples: ArrayLike<number>
  readonly loss: SdDropoutLossSettings
}

/**
 * The SD-Dropout head loss and its ANALYTIC gradient, in float64: the reference every head
 * gradient kernel is tested against (and checked itself against finite differences and tf.js
 * autodiff). Per example e of the batch (B items), with h its features, x0 = h,
 * x_k = h * m_k (m_k = `dropoutMask(maskSeed, 2 e + k - 1, D, p)`, inverted dropout, k = 1, 2),
 * z_k = x_k W + b, p0 = softmax(z0), u_k = z_k / tau, q_k = softmax(u_k), l_k = log q_k:
 *
 *   L_e = CE(z0, y) + lambda tau^2 S,   S = KL(q1 || q2) + KL(q2 || q1) = sum_c (q1 - q2)_c (l1 - l2)_c
 *
 * Gradient with respect to the logits (then divided by B for the batch mean):
 * - dCE/dz0 = p0 - onehot(y)
 * - through both sides (`detach: false`, the official default, yechanp/self_kd models/methods.py):
 *   with delta = l1 - l2, KL12 = sum q1 delta, KL21 = -sum q2 delta,
 *   dS/du1 = q1 * (delta - KL12) + q1 - q2,  dS/du2 = q2 * (-delta - KL21) + q2 - q1
 *   (the softmax Jacobian applied to log-ratios, plus the cross term of each KL's other side);
 * - target side detached (`detach: true`): each KL term, as in the official `kl_div_loss(pred,
 *   target.detach())`, trains only its predicting branch: dS/du1 = q1 - q2, dS/du2 = q2 - q1;
 * - dL/dz_k = lambda tau^2 dS/du_k / tau = lambda tau dS/du_k.
 * Then dL/dW = sum_e sum_k x_k^T g_k, i.e. dW[d, c] = sum_e h_d (g0_c + m1_d g1_c + m2_d g2_c),
 * and dL/db = sum_e (g0 + g1 + g2), with g_k = dL/dz_k / B. With lambda = 0 no masks are drawn and
 * only the cross-entropy term remains.
 *
 * Cost: 6 B D C multiply-adds (3 B D C with lambda = 0), plus 2 B D mask hashes.
 *
 * @example
 * ```ts
 * const step = sdDropoutHeadGradient({ weight, bias, featureDim: 2, classes: 3, features, labels, examples: [0, 1],
 *   loss: { dropoutRate: 0.5, temperature: 3, lambda: 1, detach: false, maskSeed: 7 } })
 * step.weightGradient // Float64Array D x C
 * ```
 */
export function sdDropoutHeadGradient(input: ReferenceGradientInput): HeadGradient {
  const { weight, bias, featureDim: d, classes: c, features, labels, examples, loss } = input
  const batch = examples.length
  const { lambda, temperature: tau, detach } = loss
  const distil = lambda > 0
  const weightGradient = new Float64Array(d * c)
  const biasGradient = new Float64Array(c)
  const masks = [new Float32Array(d), new Float32Array(d)] as const
  const z = [new Float64Array(c), new Float64Array(c), new Float64Array(c)] as const
  const logP = [new Float64Array(c), new Float64Array(c), new Float64Array(c)] as const
  const g = [new Float64Array(c), new Float64Array(c), new Float64Array(c)] as const
  let crossEntropy = 0
  let distillation = 0
  let correct = 0
  for (let i = 0; i < batch; i++) {
    const example = examples[i] as number
    const y = labels[example] as number
    const h = features.subarray(example * d, (example + 1) * d)
    if (distil) for (let k = 0; k < 2; k++) dropoutMask(loss.maskSeed, 2 * example + k, d, loss.dropoutRate, masks[k])
    forward(h, weight, bias, d, c, distil ? masks : null, z)
    // cross-entropy on z0
    logSoftmax(z[0], 1, logP[0])
    crossEntropy -= logP[0][y] as number
    if (argmax(z[0]) === y) correct++
    for (let j = 0; j < c; j++) g[0][j] = (Math.exp(logP[0][j] as number) - (j === y ? 1 : 0)) / batch
    if (!distil) {
      backward(h, d, c, masks, g, weightGradient, biasGradient, false)
      continue
    }
    logSoftmax(z[1], tau, logP[1])
    logSoftmax(z[2], tau, logP[2])
    let kl12 = 0
    let kl21 = 0
    for (let j = 0; j < c; j++) {
      const delta = (logP[1][j] as number) - (logP[2][j] as number)
      kl12 += Math.exp(logP[1][j] as number) * delta
      kl21 -= Math.exp(logP[2][j] as number) * delta
    }
    distillation += tau * tau * (kl12 + kl21)
    const scale = (lambda * tau) / batch
    for (let j = 0; j < c; j++) {
      const q1 = Math.exp(logP[1][j] as number)
      const q2 = Math.exp(logP[2][j] as number)
      const delta = (logP[1][j] as number) - (logP[2][j] as number)
      const first = detach ? q1 - q2 : q1 * (delta - kl12) + q1 - q2
      const second = detach ? q2 - q1 : q2 * (-delta - kl21) + q2 - q1
      g[1][j] = scale * first
      g[2][j] = scale * second
    }
    backward(h, d, c, masks, g, weightGradient, biasGradient, true)
  }
  crossEntropy /= batch
  distillation /= batch
  return { loss: crossEntropy + lambda * distillation, crossEntropy, distillation, correct, weightGradient, biasGradient }
}

/** z0 = hW + b and, with masks, z_k = (h * m_k) W + b, in float64. */
function forward(h: FloatArray, weight: FloatArray, bias: FloatArray, d: number, c: number, masks: readonly [Float32Array, Float32Array] | null, z: readonly [Float64Array, Float64Array, Float64Array]): void {
  for (let j = 0; j < c; j++) {
    const b = bias[j] as number
    z[0][j] = b
    z[1][j] = b
    z[2][j] = b
  }
  for (let f = 0; f < d; f++) {
    const hf = h[f] as number
    if (hf === 0) continue
    const row = f * c
    if (masks === null) {
      for (let j = 0; j < c; j++) z[0][j] = (z[0][j] as number) + hf * (weight[row + j] as number)
      continue
    }
    const m1 = hf * (masks[0][f] as number)
    const m2 = hf * (masks[1][f] as number)
    for (let j = 0; j < c; j++) {
      const w = weight[row + j] as number
      z[0][j] = (z[0][j] as number) + hf * w
      z[1][j] = (z[1][j] as number) + m1 * w
      z[2][j] = (z[2][j] as number) + m2 * w
    }
  }
}

/** dW += sum_k x_k^T g_k, db += sum_k g_k for one item (branches 1, 2 only when `distil`). */
function backward(
  h: FloatArray,
  d: number,
  c: number,
  masks: readonly [Float32Array, Float32Array],
  g: readonly [Float64Array, Float64Array, Float64Array],
  weightGradient: Float64Array,
  biasGradient: Float64Array,
  distil: boolean,
): void {
  for (let j = 0; j < c; j++) biasGradient[j] = (biasGradient[j] as number) + (g[0][j] as number) + (distil ? (g[1][j] as number) + (g[2][j] as number) : 0)
  for (let f = 0; f < d; f++) {
    const hf = h[f] as number
    if (hf === 0) continue
    const x1 = distil ? hf * (masks[0][f] as number) : 0
    const x2 = distil ? hf * (masks[1][f] as number) : 0
    const row = f * c
    for (let j = 0; j < c; j++) weightGradient[row + j] = (weightGradient[row + j] as number) + hf * (g[0][j] as number) + x1 * (g[1][j] as number) + x2 * (g[2][j] as number)
  }
}
