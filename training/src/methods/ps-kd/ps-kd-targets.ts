import { OptionError } from '@sd-dropout/sdk'

/**
 * PS-KD's progressive weight alpha_t = alpha_T * (epoch + 1) / epochs for a 0-based epoch (Kim et
 * al., ICCV 2021; official code lgcnsai/PS-KD-Pytorch: `alpha_T * ((epoch + 1) / end_epoch)`,
 * floored at 0): 0 < alpha_t <= alpha_T, reaching alpha_T in the last epoch.
 *
 * @throws {OptionError} for alpha_T outside [0, 1] or a bad epoch count.
 * @example
 * ```ts
 * progressiveAlpha(0.8, 4, 10) // 0.8 * 5 / 10 = 0.4
 * ```
 */
export function progressiveAlpha(finalAlpha: number, epoch: number, epochs: number): number {
  if (!(finalAlpha >= 0 && finalAlpha <= 1)) throw new OptionError('--ps-kd-alpha', `must be in [0, 1], got ${finalAlpha}`)
  if (!Number.isInteger(epochs) || epochs < 1 || !Number.isInteger(epoch) || epoch < 0) throw new OptionError('--epochs', `PS-KD needs epoch in [0, epochs), got ${epoch} of ${epochs}`)
  return Math.max(0, (finalAlpha * (epoch + 1)) / epochs)
}

/**
 * PS-KD's soft targets for a batch: t_i = (1 - alpha_t) onehot(y_i) + alpha_t P_prev[i], where
 * P_prev[i] is the model's softmax for training item i from the previous epoch, or onehot(y_i)
 * before the item was ever predicted (the official code initialises every item to its one-hot
 * label, so epoch 0 is plain cross-entropy).
 *
 * @param labels class ids of the batch
 * @param previous P_prev rows of the batch's items (C values each, item-major), or null for an
 *   item never predicted; from `PredictionStore.rows`
 * @param classes C
 * @param alpha alpha_t
 * @returns B x C targets, item-major, each row summing to 1
 * @example
 * ```ts
 * progressiveTargets(Int32Array.of(1), [Float32Array.of(0.2, 0.8)], 2, 0.5) // [0.1, 0.9]
 * ```
 */
export function progressiveTargets(labels: Int32Array, previous: readonly (Float32Array | null)[], classes: number, alpha: number): Float32Array {
  const targets = new Float32Array(labels.length * classes)
  labels.forEach((label, i) => {
    const row = previous[i] ?? null
    for (let c = 0; c < classes; c++) {
      const prior = row === null ? (c === label ? 1 : 0) : (row[c] as number)
      targets[i * classes + c] = (1 - alpha) * (c === label ? 1 : 0) + alpha * prior
    }
  })
  return targets
}
