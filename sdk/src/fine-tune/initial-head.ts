import { InputError } from '../errors.js'

/** The model's head before fine-tuning, with its labels. */
export interface ParentHead {
  /** W [D, C_parent], feature-major. */
  readonly weight: Float32Array
  /** b [C_parent]. */
  readonly bias: Float32Array
  readonly labels: readonly string[]
  readonly featureDim: number
}

/** The head fine-tuning starts from, and which of its classes are new. */
export interface InitialHead {
  /** W [D, C], feature-major. */
  readonly weight: Float32Array
  readonly bias: Float32Array
  /** Indices (in the new label set) of the classes the parent did not have. */
  readonly newClasses: readonly number[]
}

/**
 * The head fine-tuning starts from, for the label set `labelSet`. A label the parent has keeps its
 * column of W and its bias. A new label c gets "imprinted" weights (Qi, Brown and Lowe, CVPR 2018):
 *
 *   w_c = s * mu_c / ||mu_c||,   s = sqrt(sum_{d,k} W[d, k]^2 / C_parent)  (the parent's RMS column norm)
 *   b_c = mean over training examples i of class c of (r_i - w_c . h_i)
 *
 * with mu_c the mean of its training features and r_i the largest kept-class logit of h_i (0 when
 * no class is kept). So a new class's logits have the parent's scale, point at its own mean, and on
 * its own examples start on average level with the strongest existing class: training then breaks
 * the tie instead of first undoing a bad start.
 *
 * @param features h of every example (N x D); @param labels classes in the new label set; @param train the training examples
 * @throws {InputError} when a new class has no training example (nothing to initialise or learn it from).
 * @example
 * ```ts
 * const start = initialHead(parent, ['0', '1', '2'], features, labels, train) // '2' new: imprinted
 * ```
 */
export function initialHead(parent: ParentHead, labelSet: readonly string[], features: Float32Array, labels: Int32Array, train: Int32Array): InitialHead {
  const d = parent.featureDim
  const classes = labelSet.length
  const parentClasses = parent.labels.length
  const weight = new Float32Array(d * classes)
  const bias = new Float32Array(classes)
  const kept: number[] = []
  const newClasses: number[] = []
  labelSet.forEach((label, c) => {
    const p = parent.labels.indexOf(label)
    if (p < 0) return void newClasses.push(c)
    kept.push(c)
    bias[c] = parent.bias[p] as number
    for (let f = 0; f < d; f++) weight[f * classes + c] = parent.weight[f * parentClasses + p] as number
  })
  if (newClasses.length === 0) return { weight, bias, newClasses }

  const counts = new Float64Array(classes)
  const means = new Float64Array(classes * d)
  for (const e of train) {
    const y = labels[e] as number
    counts[y] = (counts[y] as number) + 1
    for (let f = 0; f < d; f++) means[y * d + f] = (means[y * d + f] as number) + (features[e * d + f] as number)
  }
  const empty = newClasses.filter((c) => counts[c] === 0)
  if (empty.length > 0) {
    throw new InputError(`new classes need training examples; ${empty.map((c) => JSON.stringify(labelSet[c])).join(', ')} have none`, { labels: empty.map((c) => labelSet[c] as string) })
  }
  const scale = Math.sqrt(parent.weight.reduce((sum, w) => sum + w * w, 0) / parentClasses)
  for (const c of newClasses) {
    let norm = 0
    for (let f = 0; f < d; f++) norm += ((means[c * d + f] as number) / (counts[c] as number)) ** 2
    norm = Math.sqrt(norm)
    for (let f = 0; f < d; f++) weight[f * classes + c] = norm === 0 ? 0 : (scale * (means[c * d + f] as number)) / (counts[c] as number) / norm
  }
  const offsets = new Float64Array(classes)
  for (const e of train) {
    const y = labels[e] as number
    if (!newClasses.includes(y)) continue
    const logit = (c: number): number => {
      let z = bias[c] as number
      for (let f = 0; f < d; f++) z += (features[e * d + f] as number) * (weight[f * classes + c] as number)
      return z
    }
    const reference = kept.length === 0 ? 0 : Math.max(...kept.map(logit))
    offsets[y] = (offsets[y] as number) + reference - logit(y) // bias[y] is still 0 here
  }
  for (const c of newClasses) bias[c] = (offsets[c] as number) / (counts[c] as number)
  return { weight, bias, newClasses }
}
