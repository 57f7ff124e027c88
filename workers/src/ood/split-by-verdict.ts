import { NotFittedError, type OodScoreName, type Prediction } from '@sd-dropout/sdk'

/** An item the model may judge: its position in the batch and its prediction. */
export interface AcceptedItem {
  readonly index: number
  readonly prediction: Prediction
}

/** An item refused as out-of-distribution: score > threshold. */
export interface RejectedItem {
  readonly index: number
  readonly score: number
  readonly threshold: number
  readonly method: OodScoreName
}

/** A batch split by OOD verdict; indices are positions in the request. */
export interface SplitBatch {
  readonly accepted: readonly AcceptedItem[]
  readonly rejected: readonly RejectedItem[]
}

/**
 * Splits predictions into accepted (in-distribution) and rejected (score > threshold) items, the
 * edge filter of `POST .../filter` and `oodGuard`. A verdict without a threshold cannot filter, so
 * it is an error rather than a silent accept.
 *
 * @throws {NotFittedError} when the bundle has no threshold for the chosen OOD score.
 * @example
 * ```ts
 * const { accepted, rejected } = splitByVerdict(await model.predict(inputs))
 * ```
 */
export function splitByVerdict(predictions: readonly Prediction[]): SplitBatch {
  const accepted: AcceptedItem[] = []
  const rejected: RejectedItem[] = []
  predictions.forEach((prediction, index) => {
    const { score, threshold, method, isOutOfDistribution } = prediction.ood
    if (threshold === null) throw new NotFittedError(`the model has no threshold for the OOD score ${method}, so it cannot filter with it`, { oodScore: method })
    if (isOutOfDistribution) rejected.push({ index, score, threshold, method })
    else accepted.push({ index, prediction })
  })
  return { accepted, rejected }
}
