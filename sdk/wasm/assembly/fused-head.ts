// The fused MC-dropout head (DESIGN section 2): for a batch of pooled features h (B x D) it computes
// the deterministic logits z0 = hW + b, S dropout samples z_s = b + (h * m_s / (1 - p)) W per item
// with masks shared by every item, the calibrated mean probabilities, the uncertainty statistics and
// the logit-based OOD scores, in one call with no allocation.
//
// Work plan: masks are generated once per call and turned into pattern groups per block of 4
// samples (mask-patterns.ts); items go in groups of 4; per (item group, sample block) one GEMM pass
// over the pattern groups (pattern-partials.ts) gives partial sums from which every sample's logits
// and z0 are combined (combine-samples.ts); softmax statistics run vectorised over the 4 samples
// (softmax-lanes.ts). Every lane is computed independently, so an item's results do not depend on
// the items around it (bit for bit).
//
// Output layout (f32, item-major), B items, C classes, written at `out`:
//   [0, BC) logits z0 | [BC, 2BC) probabilities | then 8 arrays of B values, in this order:
//   predictive entropy, expected entropy, mutual information, variance,
//   msp = 1 - max softmax(z0 / T), max-logit = -max z0, energy = -logsumexp(z0), entropy = H[softmax(z0 / T)].
// With S = 0 the probabilities are softmax(z0 / T), predictive = expected = H[softmax(z0 / T)],
// mutual information = variance = 0.

import { combineDeterministic, combineSamples } from './combine-samples'
import { paddedClasses, preparedBias } from './head-weights'
import { horizontalSum, logLanes } from './lanes-math'
import { buildPatternGroups, GROUP_STARTS, validLanes } from './mask-patterns'
import { patternPartials } from './pattern-partials'
import { layoutScratch, Scratch } from './scratch-layout'
import { laneEntropy, laneLogSumExp, laneMaximum, laneSum, softmaxLanes } from './softmax-lanes'

const STATISTICS: i32 = 8

/** Number of f32 values `runHead` writes: 2 * B * C + 8 * B. */
export function outputFloats(batch: i32, classes: i32): usize {
  return <usize>batch * (2 * <usize>classes + STATISTICS)
}

/**
 * Runs the fused head on `batch` items (features at `features`, B x D f32) with the prepared head at
 * `prepared`; `threshold` and `scale` are the dropout threshold (`dropThreshold(p)`) and the f32 scale
 * 1 / (1 - p); `inverseTemperature` is 1 / T_cal. Writes the output layout above at `out`.
 */
export function runHead(
  features: usize,
  batch: i32,
  featureCount: i32,
  classes: i32,
  prepared: usize,
  samples: i32,
  seed: u32,
  threshold: i32,
  scale: f32,
  inverseTemperature: f32,
  scratch: usize,
  out: usize,
): void {
  const s = layoutScratch(scratch, featureCount, classes, samples)
  const padded = paddedClasses(classes)
  const blocks = max(1, (samples + 3) >> 2)
  const bias = preparedBias(prepared, featureCount, classes)
  buildPatternGroups(s.order, s.starts, s.patterns, seed, samples, featureCount, threshold)
  for (let first = 0; first < batch; first += 4) {
    const count = min(4, batch - first)
    transposeFeatures(features, first, count, featureCount, s.x)
    memory.fill(s.sums, 0, (<usize>(4 * padded) << 4) + 64) // sums and entropies
    for (let block = 0; block < blocks; block++) {
      const order = s.order + ((<usize>block * featureCount) << 2)
      const starts = s.starts + ((<usize>block * GROUP_STARTS) << 2)
      patternPartials(s.x, order, starts, block == 0 ? 0 : 1, featureCount, prepared, padded, s.partials)
      if (block == 0) deterministic(s, out, batch, first, count, classes, padded, bias, samples, inverseTemperature)
      if (samples == 0) continue
      const valid = validLanes(samples - (block << 2))
      for (let l = 0; l < count; l++) {
        combineSamples(s.partials, l, padded, bias, scale, s.z)
        const probabilities = s.probabilities + ((<usize>(l * blocks + block) * padded) << 4)
        softmaxLanes(s.z, classes, inverseTemperature, probabilities, s.sums + ((<usize>(l * padded)) << 4), samples - (block << 2))
        const entropy = s.entropies + (<usize>l << 4)
        v128.store(entropy, f32x4.add(v128.load(entropy), v128.and(laneEntropy, valid)))
      }
    }
    if (samples > 0) for (let l = 0; l < count; l++) summarize(s, out, batch, first + l, l, classes, padded, samples, blocks)
  }
}

/** x[d] = (h_first[d], .., h_first+3[d]) with zero lanes past the batch. */
function transposeFeatures(features: usize, first: i32, count: i32, featureCount: i32, x: usize): void {
  for (let l = 0; l < 4; l++) {
    const source = features + ((<usize>(first + l) * featureCount) << 2)
    let target = x + (<usize>l << 2)
    for (let d = 0; d < featureCount; d++) {
      store<f32>(target, l < count ? load<f32>(source + (<usize>d << 2)) : 0)
      target += 16
    }
  }
}

/** z0, the logits, the logit scores of items first .. first + count - 1 and, with S = 0, their statistics. */
function deterministic(s: Scratch, out: usize, batch: i32, first: i32, count: i32, classes: i32, padded: i32, bias: usize, samples: i32, inverseTemperature: f32): void {
  const statistics = out + ((<usize>batch * classes * 2) << 2)
  const stride = <usize>batch << 2
  combineDeterministic(s.partials, padded, bias, s.z)
  for (let l = 0; l < count; l++) {
    const row = out + ((<usize>(first + l) * classes) << 2)
    for (let c = 0; c < classes; c++) store<f32>(row + (<usize>c << 2), load<f32>(s.z + (<usize>c << 4) + (<usize>l << 2)))
  }
  softmaxLanes(s.z, classes, 1, 0, 0, 4)
  v128.store(s.lanes, f32x4.sub(f32x4.splat(0), laneMaximum), 0) // max-logit
  v128.store(s.lanes, f32x4.sub(f32x4.splat(0), laneLogSumExp), 16) // energy
  softmaxLanes(s.z, classes, inverseTemperature, samples == 0 ? s.probabilities : 0, 0, 4)
  v128.store(s.lanes, f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(1), laneSum)), 32) // msp
  v128.store(s.lanes, laneEntropy, 48) // entropy
  for (let l = 0; l < count; l++) {
    const item = <usize>(first + l) << 2
    const lane = <usize>l << 2
    const entropy = load<f32>(s.lanes + lane, 48)
    store<f32>(statistics + 4 * stride + item, load<f32>(s.lanes + lane, 32))
    store<f32>(statistics + 5 * stride + item, load<f32>(s.lanes + lane, 0))
    store<f32>(statistics + 6 * stride + item, load<f32>(s.lanes + lane, 16))
    store<f32>(statistics + 7 * stride + item, entropy)
    if (samples > 0) continue
    const row = out + ((<usize>(batch + first + l) * classes) << 2)
    for (let c = 0; c < classes; c++) store<f32>(row + (<usize>c << 2), load<f32>(s.probabilities + (<usize>c << 4) + lane))
    store<f32>(statistics + item, entropy)
    store<f32>(statistics + stride + item, entropy)
    store<f32>(statistics + 2 * stride + item, 0)
    store<f32>(statistics + 3 * stride + item, 0)
  }
}

/** pbar, H[pbar], mean_s H[p_s], their difference and the variance of p_s[argmax pbar] of one item (lane l of the group). */
function summarize(s: Scratch, out: usize, batch: i32, item: i32, l: i32, classes: i32, padded: i32, samples: i32, blocks: i32): void {
  const inverseSamples: f32 = 1 / <f32>samples
  const sums = s.sums + ((<usize>(l * padded)) << 4)
  let label = 0
  let best: f32 = -Infinity
  for (let c = 0; c < padded; c++) {
    const value: f32 = c < classes ? horizontalSum(v128.load(sums + (<usize>c << 4))) * inverseSamples : 0
    store<f32>(s.mean + (<usize>c << 2), value)
    if (c < classes && value > best) {
      best = value
      label = c
    }
  }
  const predictive = meanEntropy(s.mean, classes)
  const expected = horizontalSum(v128.load(s.entropies + (<usize>l << 4))) * inverseSamples
  let spread = f32x4.splat(0)
  const probabilities = s.probabilities + ((<usize>(l * blocks * padded)) << 4)
  for (let block = 0; block < blocks; block++) {
    const difference = f32x4.sub(v128.load(probabilities + ((<usize>(block * padded + label)) << 4)), f32x4.splat(best))
    spread = f32x4.add(spread, v128.and(f32x4.mul(difference, difference), validLanes(samples - (block << 2))))
  }
  memory.copy(out + ((<usize>(batch + item) * classes) << 2), s.mean, <usize>classes << 2)
  const statistics = out + ((<usize>batch * classes * 2) << 2)
  const stride = <usize>batch << 2
  const at = <usize>item << 2
  store<f32>(statistics + at, predictive)
  store<f32>(statistics + stride + at, expected)
  store<f32>(statistics + 2 * stride + at, predictive - expected)
  store<f32>(statistics + 3 * stride + at, horizontalSum(spread) * inverseSamples)
}

/** H[p] = -sum_c p_c ln p_c of the C-vector at `mean` (zero-padded to a multiple of 4); 0 ln 0 = 0. */
function meanEntropy(mean: usize, classes: i32): f32 {
  const tiny = f32x4.splat(1e-30)
  let sum = f32x4.splat(0)
  const end = mean + (<usize>classes << 2)
  for (let p = mean; p < end; p += 16) {
    const value = v128.load(p)
    const term = f32x4.mul(value, logLanes(f32x4.pmax(value, tiny)))
    sum = f32x4.add(sum, v128.and(term, f32x4.gt(value, tiny)))
  }
  return -horizontalSum(sum)
}
