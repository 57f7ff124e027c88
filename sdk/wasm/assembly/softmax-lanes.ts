// Softmax statistics of 4 independent logit vectors at once, one per lane ("vectorised over
// samples"): z[c] is the v128 at `z + c * 16`. With u = z / T and m = max_c u:
//   sum = sum_c exp(u_c - m),  logsumexp(u) = m + ln(sum),  p_c = exp(u_c - m) / sum,
//   H[p] = ln(sum) - sum_c p_c (u_c - m)   (one log per lane instead of one per class).
// Results land in the module globals below (wasm has no multiple v128 returns in AssemblyScript).

/** max_c z_c per lane (unscaled logits). */
export let laneMaximum: v128 = f32x4.splat(0)
/** sum_c exp(z_c / T - max / T) per lane, in [1, C]; 1 / sum is the largest probability. */
export let laneSum: v128 = f32x4.splat(0)
/** logsumexp(z / T) per lane. */
export let laneLogSumExp: v128 = f32x4.splat(0)
/** H[softmax(z / T)] per lane, in nats. */
export let laneEntropy: v128 = f32x4.splat(0)

import { expLanes, logLanes } from './lanes-math'
import { validLanes } from './mask-patterns'

/**
 * Computes the statistics above for `classes` logit vectors at `z`; when `probabilities` is not 0
 * writes softmax(z / T) there in the same layout (it may equal `z`: in place), and when `sums` is not
 * 0 also adds the probabilities of lanes 0 .. validCount - 1 to the vectors there.
 */
export function softmaxLanes(z: usize, classes: i32, inverseTemperature: f32, probabilities: usize, sums: usize, validCount: i32): void {
  const end = z + (<usize>classes << 4)
  let maximum = v128.load(z)
  for (let zp = z + 16; zp < end; zp += 16) maximum = f32x4.pmax(maximum, v128.load(zp))
  const scale = f32x4.splat(inverseTemperature)
  const shift = f32x4.mul(maximum, scale)
  let sum = f32x4.splat(0)
  let dot = f32x4.splat(0)
  let out = probabilities
  for (let zp = z; zp < end; zp += 16) {
    const t = f32x4.sub(f32x4.mul(v128.load(zp), scale), shift)
    const e = expLanes(t)
    sum = f32x4.add(sum, e)
    dot = f32x4.add(dot, f32x4.mul(e, t))
    if (probabilities) {
      v128.store(out, e)
      out += 16
    }
  }
  const logSum = logLanes(sum)
  laneMaximum = maximum
  laneSum = sum
  laneLogSumExp = f32x4.add(shift, logSum)
  laneEntropy = f32x4.sub(logSum, f32x4.div(dot, sum))
  if (probabilities) {
    const inverse = f32x4.div(f32x4.splat(1), sum)
    const pEnd = probabilities + (<usize>classes << 4)
    if (sums) {
      const valid = validLanes(validCount)
      let sp = sums
      for (let pp = probabilities; pp < pEnd; pp += 16) {
        const p = f32x4.mul(v128.load(pp), inverse)
        v128.store(pp, p)
        v128.store(sp, f32x4.add(v128.load(sp), v128.and(p, valid)))
        sp += 16
      }
    } else {
      for (let pp = probabilities; pp < pEnd; pp += 16) v128.store(pp, f32x4.mul(v128.load(pp), inverse))
    }
  }
}
