import { FormatError, softmax } from '@sd-dropout/sdk'

/**
 * PS-KD's per-training-item memory: the latest softmax prediction of every training index,
 * written after each step from that step's training-mode logits (as the official code stores
 * `softmax(outputs)` of the forward pass), read as the next epoch's P_prev. Grows with the largest
 * index seen; saved whole in checkpoints so `--resume` continues exactly.
 *
 * @example
 * ```ts
 * const store = new PredictionStore(10)
 * store.record(Int32Array.of(4), logits)   // softmax of one row of logits for item 4
 * store.rows(Int32Array.of(4, 5))          // [Float32Array(10), null]
 * ```
 */
export class PredictionStore {
  readonly classes: number
  private values = new Float32Array(0)
  private filled = new Uint8Array(0)

  constructor(classes: number) {
    this.classes = classes
  }

  /** Items that have a stored prediction. */
  get recorded(): number {
    return this.filled.reduce((sum, flag) => sum + flag, 0)
  }

  /** Stores softmax(logits_i) (float64 math, stored as float32) for each item index of the batch. */
  record(indices: Int32Array, logits: Float32Array): void {
    const classes = this.classes
    this.grow(Math.max(0, ...indices) + 1)
    indices.forEach((index, i) => {
      this.values.set(softmax(logits.subarray(i * classes, (i + 1) * classes)), index * classes)
      this.filled[index] = 1
    })
  }

  /** The stored prediction of each index (a view), or null where none was recorded yet. */
  rows(indices: Int32Array): (Float32Array | null)[] {
    return Array.from(indices, (index) => (this.filled[index] === 1 ? this.values.subarray(index * this.classes, (index + 1) * this.classes) : null))
  }

  /**
   * Copies of the predictions and of the recorded flags (1 or 0 per index), for a checkpoint: up to
   * the largest recorded index (the store grows by doubling; the spare rows are not saved).
   */
  save(): { predictions: Float32Array; recorded: Float32Array } {
    const items = this.filled.lastIndexOf(1) + 1
    return { predictions: this.values.slice(0, items * this.classes), recorded: Float32Array.from(this.filled.subarray(0, items)) }
  }

  /**
   * Restores a {@link save}.
   *
   * @throws {FormatError} when the sizes do not match C.
   */
  load(predictions: Float32Array, recorded: Float32Array): void {
    if (predictions.length !== recorded.length * this.classes) throw new FormatError('checkpoint', `PS-KD state holds ${predictions.length} prediction values for ${recorded.length} items of ${this.classes} classes`)
    this.values = predictions.slice()
    this.filled = Uint8Array.from(recorded)
  }

  private grow(items: number): void {
    if (items <= this.filled.length) return
    const size = Math.max(items, 2 * this.filled.length)
    const values = new Float32Array(size * this.classes)
    values.set(this.values)
    const filled = new Uint8Array(size)
    filled.set(this.filled)
    this.values = values
    this.filled = filled
  }
}
