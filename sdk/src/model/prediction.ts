import type { OodScoreName } from '../ood/score-name.js'

/**
 * What `model.predict` returns for one input item. Probabilities are calibrated (softmax(z / T_cal),
 * averaged over MC-dropout samples when `samples` > 0). Entropies are in nats.
 */
export interface Prediction {
  /** The predicted label (`info.labels[classIndex]`). */
  readonly label: string
  /** Index of the predicted class: argmax of `probabilities`. */
  readonly classIndex: number
  /** Calibrated class probabilities, one per label, summing to 1. */
  readonly probabilities: readonly number[]
  /** max of `probabilities`, in [1/C, 1]. */
  readonly confidence: number
  /** True when `confidence` is below the bundle's selective-prediction threshold: the model would rather not answer. False when the bundle has none. */
  readonly abstain: boolean
  readonly uncertainty: PredictionUncertainty
  readonly ood: OodVerdict
}

/** MC-dropout uncertainty (DESIGN section 2). With `samples: 0` MI and variance are 0. */
export interface PredictionUncertainty {
  /** H[pbar] in nats, [0, ln C]: total uncertainty. Higher = less sure. */
  readonly predictiveEntropy: number
  /** mean_s H[p_s] in nats, [0, ln C]: the aleatoric part. */
  readonly expectedEntropy: number
  /** H[pbar] - mean_s H[p_s] in nats, >= 0: the epistemic part (disagreement between dropout samples). */
  readonly mutualInformation: number
  /** Population variance over samples of p_s[classIndex], [0, 0.25]. */
  readonly variance: number
}

/** The OOD verdict for one item: higher score = more likely out-of-distribution. */
export interface OodVerdict {
  /** The score's value (units depend on the method: nats for entropies, logit units for energy / max-logit, squared distance for mahalanobis). */
  readonly score: number
  /** Which score. */
  readonly method: OodScoreName
  /** The bundle's threshold for this score (fitted at `info.ood.samples` samples), or null when the bundle has none. */
  readonly threshold: number | null
  /** score > threshold; false when there is no threshold. */
  readonly isOutOfDistribution: boolean
}
