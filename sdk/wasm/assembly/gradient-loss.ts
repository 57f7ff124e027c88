// The SD-Dropout loss of one item and its gradient with respect to the three logit vectors, lanes
// over classes (sdk/src/fine-tune/sd-dropout-head-gradient.ts derives the formulas):
//   CE = logsumexp(z0) - z0_y,                       dCE/dz0 = softmax(z0) - onehot(y)
//   q_k = softmax(z_k / tau), l_k = log q_k, delta = l1 - l2, KL12 = sum q1 delta, KL21 = -sum q2 delta
//   S = KL12 + KL21;  dL/dz_k = lambda tau dS/du_k with
//     through both sides: dS/du1 = q1 (delta - KL12) + q1 - q2,  dS/du2 = q2 (-delta - KL21) + q2 - q1
//     target detached:    dS/du1 = q1 - q2,                      dS/du2 = q2 - q1
// Every gradient is divided by the batch size B (batch mean). Padded classes (c >= C) get zero
// probability and zero gradient. Results: the g region, and the module globals below.

import { expLanes, horizontalSum } from './lanes-math'
import { validLanes } from './mask-patterns'

/** CE(z0, y) of the last item, nats. */
export let itemCrossEntropy: f64 = 0
/** S = KL(q1 || q2) + KL(q2 || q1) of the last item (before tau^2 and lambda), nats. */
export let itemSymmetricKl: f64 = 0
/** Whether argmax z0 (first on ties) was the label. */
export let itemCorrect: bool = false

/**
 * softmax(z * inverseTemperature) of C classes at `z` into `q` and its log into `l` (Cp floats
 * each; padded lanes of q are 0, of l finite). Returns nothing; one log per call.
 */
function temperedSoftmax(z: usize, classes: i32, padded: i32, inverseTemperature: f32, q: usize, l: usize): void {
  let maximum: f32 = -Infinity
  for (let c = 0; c < classes; c++) maximum = max(maximum, load<f32>(z + (<usize>c << 2)) * inverseTemperature)
  const scale = f32x4.splat(inverseTemperature)
  const shift = f32x4.splat(maximum)
  const zero = f32x4.splat(0)
  let sum = zero
  for (let c = 0; c < padded; c += 4) {
    const at = <usize>c << 2
    const u = f32x4.sub(f32x4.mul(v128.load(z + at), scale), shift)
    const e = v128.and(expLanes(f32x4.min(u, zero)), validLanes(classes - c))
    sum = f32x4.add(sum, e)
    v128.store(q + at, e)
    v128.store(l + at, u)
  }
  const total = horizontalSum(sum)
  const inverse = f32x4.splat(1 / total)
  const logTotal = f32x4.splat(Mathf.log(total))
  for (let c = 0; c < padded; c += 4) {
    const at = <usize>c << 2
    v128.store(q + at, f32x4.mul(v128.load(q + at), inverse))
    v128.store(l + at, f32x4.sub(v128.load(l + at), logTotal))
  }
}

/**
 * Cross-entropy part: g0 = (softmax(z0) - onehot(y)) / B into `g`, the item's CE and whether it
 * was classified correctly (`q` and `l` are used as scratch).
 */
export function crossEntropyGradient(z: usize, label: i32, classes: i32, padded: i32, inverseBatch: f32, q: usize, l: usize, g: usize): void {
  temperedSoftmax(z, classes, padded, 1, q, l)
  let best = 0
  for (let c = 1; c < classes; c++) if (load<f32>(z + (<usize>c << 2)) > load<f32>(z + (<usize>best << 2))) best = c
  itemCorrect = best == label
  itemCrossEntropy = -<f64>load<f32>(l + (<usize>label << 2))
  const scale = f32x4.splat(inverseBatch)
  for (let c = 0; c < padded; c += 4) {
    const at = <usize>c << 2
    v128.store(g + at, f32x4.mul(v128.load(q + at), scale))
  }
  const at = g + (<usize>label << 2)
  store<f32>(at, load<f32>(at) - inverseBatch)
}

/**
 * Distillation part: g1, g2 (at g + Cp, g + 2 Cp) = lambda tau dS/du_k / B from z1, z2 (at z + Cp,
 * z + 2 Cp), and the item's S. `q`, `l` hold 2 x Cp floats each.
 */
export function distillationGradient(z: usize, classes: i32, padded: i32, temperature: f32, scale: f32, detach: bool, q: usize, l: usize, g: usize): void {
  const row = <usize>padded << 2
  temperedSoftmax(z + row, classes, padded, 1 / temperature, q, l)
  temperedSoftmax(z + 2 * row, classes, padded, 1 / temperature, q + row, l + row)
  let forward = f32x4.splat(0)
  let reverse = f32x4.splat(0)
  for (let at: usize = 0; at < row; at += 16) {
    const delta = f32x4.sub(v128.load(l + at), v128.load(l + row + at))
    forward = f32x4.add(forward, f32x4.mul(v128.load(q + at), delta))
    reverse = f32x4.sub(reverse, f32x4.mul(v128.load(q + row + at), delta))
  }
  const kl12 = horizontalSum(forward)
  const kl21 = horizontalSum(reverse)
  itemSymmetricKl = <f64>kl12 + <f64>kl21
  const factor = f32x4.splat(scale)
  const forwardLanes = f32x4.splat(kl12)
  const reverseLanes = f32x4.splat(kl21)
  for (let at: usize = 0; at < row; at += 16) {
    const q1 = v128.load(q + at)
    const q2 = v128.load(q + row + at)
    const difference = f32x4.sub(q1, q2)
    let first = difference
    let second = f32x4.neg(difference)
    if (!detach) {
      const delta = f32x4.sub(v128.load(l + at), v128.load(l + row + at))
      first = f32x4.add(f32x4.mul(q1, f32x4.sub(delta, forwardLanes)), difference)
      second = f32x4.sub(f32x4.mul(q2, f32x4.sub(f32x4.neg(delta), reverseLanes)), difference)
    }
    v128.store(g + row + at, f32x4.mul(first, factor))
    v128.store(g + 2 * row + at, f32x4.mul(second, factor))
  }
}
