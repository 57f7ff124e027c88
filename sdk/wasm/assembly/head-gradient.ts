// One SD-Dropout training step of a linear head on a batch of frozen features (DESIGN section 1;
// the TypeScript reference and the derivation: sdk/src/fine-tune/sd-dropout-head-gradient.ts).
// Per item: the two inverted-dropout masks of its EXAMPLE (not its batch position) from the shared
// generator, m_k = dropoutMask(maskSeed, 2 e + k - 1, D, p), generated 4 features at a time and
// applied at once (x_k = h * m_k); the three heads (gradient-heads.ts); the loss gradient with
// respect to the logits (gradient-loss.ts); the rank-3 update of dW and db. W and b come in raw
// (D x C, C) and are packed with padded classes once per call; dW and db go out raw.
//
// Statistics written at `statistics` (f64): [sum_i CE_i, sum_i tau^2 S_i, correct count] over the
// batch; the host divides by B. With lambda = 0 no masks are generated and only z0 is computed.

import { backwardOne, backwardThree, forwardOne, forwardThree } from './gradient-heads'
import { crossEntropyGradient, distillationGradient, itemCorrect, itemCrossEntropy, itemSymmetricKl } from './gradient-loss'
import { layoutGradientScratch, paddedTo4 } from './gradient-scratch'
import { mix32Lanes, sampleKey } from './mask-patterns'

/**
 * Runs one step (see above) on `batch` items: features B x D f32, labels and examples B i32 each,
 * W D x C and b C f32 (raw), `threshold` = dropThreshold(p), `scale` = f32(1 / (1 - p)), tau,
 * lambda, detach (0 or 1), the mask seed; writes dW (D x C), db (C) and 3 f64 statistics.
 * `features` must have 16 readable bytes past its end (masks are built 4 features at a time).
 */
export function headGradient(
  features: usize,
  labels: usize,
  examples: usize,
  batch: i32,
  featureCount: i32,
  classes: i32,
  weight: usize,
  bias: usize,
  threshold: i32,
  scale: f32,
  temperature: f32,
  lambda: f32,
  detach: i32,
  maskSeed: u32,
  scratch: usize,
  weightGradient: usize,
  biasGradient: usize,
  statistics: usize,
): void {
  const s = layoutGradientScratch(scratch, featureCount, classes)
  const padded = paddedTo4(classes)
  pack(weight, bias, featureCount, classes, padded, s.weight, s.bias)
  memory.fill(s.weightGradient, 0, <usize>(featureCount + 1) * padded << 2) // dW and db are adjacent
  const distil = lambda > 0
  const inverseBatch: f32 = 1 / <f32>batch
  const klScale = (lambda * temperature) * inverseBatch
  let crossEntropy: f64 = 0
  let distillation: f64 = 0
  let correct = 0
  for (let i = 0; i < batch; i++) {
    const h = features + ((<usize>i * featureCount) << 2)
    const label = load<i32>(labels + (<usize>i << 2))
    const example = load<u32>(examples + (<usize>i << 2))
    if (distil) {
      maskFeatures(h, featureCount, sampleKey(maskSeed, example << 1), threshold, scale, s.x1)
      maskFeatures(h, featureCount, sampleKey(maskSeed, (example << 1) + 1), threshold, scale, s.x2)
      forwardThree(h, s.x1, s.x2, featureCount, padded, s.weight, s.bias, s.z)
    } else {
      forwardOne(h, featureCount, padded, s.weight, s.bias, s.z)
    }
    crossEntropyGradient(s.z, label, classes, padded, inverseBatch, s.q, s.l, s.g)
    crossEntropy += itemCrossEntropy
    if (itemCorrect) correct++
    if (distil) {
      distillationGradient(s.z, classes, padded, temperature, klScale, detach != 0, s.q, s.l, s.g)
      distillation += <f64>temperature * <f64>temperature * itemSymmetricKl
      backwardThree(h, s.x1, s.x2, featureCount, padded, s.g, s.weightGradient, s.biasGradient)
    } else {
      backwardOne(h, featureCount, padded, s.g, s.weightGradient, s.biasGradient)
    }
  }
  unpack(s.weightGradient, s.biasGradient, featureCount, classes, padded, weightGradient, biasGradient)
  store<f64>(statistics, crossEntropy)
  store<f64>(statistics, distillation, 8)
  store<f64>(statistics, <f64>correct, 16)
}

/** x = h * m for the mask of sample key `key`: m_d = scale where featureHash(key, d) >>> 8 >= threshold, else 0. */
function maskFeatures(h: usize, featureCount: i32, key: u32, threshold: i32, scale: f32, x: usize): void {
  const keys = i32x4.splat(key)
  const limit = i32x4.splat(threshold)
  const kept = f32x4.splat(scale)
  const multiplier = i32x4.splat(0x85ebca77)
  let index = i32x4(1, 2, 3, 4) // d + 1
  for (let d = 0; d < featureCount; d += 4) {
    const hash = mix32Lanes(v128.xor(keys, i32x4.mul(index, multiplier)))
    const mask = v128.and(i32x4.ge_s(i32x4.shr_u(hash, 8), limit), kept)
    const at = <usize>d << 2
    v128.store(x + at, f32x4.mul(v128.load(h + at), mask))
    index = i32x4.add(index, i32x4.splat(4))
  }
}

/** W (D x C) and b (C) into the padded layout (D x Cp, Cp), zeros in the padding. */
function pack(weight: usize, bias: usize, featureCount: i32, classes: i32, padded: i32, packedWeight: usize, packedBias: usize): void {
  const bytes = <usize>classes << 2
  const row = <usize>padded << 2
  for (let d = 0; d < featureCount; d++) {
    const out = packedWeight + <usize>d * row
    memory.copy(out, weight + <usize>d * bytes, bytes)
    memory.fill(out + bytes, 0, row - bytes)
  }
  memory.copy(packedBias, bias, bytes)
  memory.fill(packedBias + bytes, 0, row - bytes)
}

/** The padded dW and db back to D x C and C. */
function unpack(packedWeight: usize, packedBias: usize, featureCount: i32, classes: i32, padded: i32, weight: usize, bias: usize): void {
  const bytes = <usize>classes << 2
  const row = <usize>padded << 2
  for (let d = 0; d < featureCount; d++) memory.copy(weight + <usize>d * bytes, packedWeight + <usize>d * row, bytes)
  memory.copy(bias, packedBias, bytes)
}
