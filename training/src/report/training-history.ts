import type { JsonValue } from '@sd-dropout/sdk'

/** One epoch of a run's history, as a report plots it (null where the run did not record a value). */
export interface HistoryRow {
  readonly epoch: number
  /** Mean training loss of the epoch. */
  readonly loss: number | null
  /** Training accuracy (of the no-dropout logits, measured before each step's update). */
  readonly accuracy: number | null
  /** Validation accuracy and NLL of the no-dropout logits after the epoch. */
  readonly validationAccuracy: number | null
  readonly validationNll: number | null
}

/**
 * The per-epoch history a bundle's provenance keeps (`provenance.hyperParameters.history`: the
 * trainer's `EpochRecord`s, or fine-tuning's epoch means), reduced to what a report plots. Returns
 * null when the bundle keeps none (e.g. an imported model), so the report can say so.
 *
 * @example
 * ```ts
 * const rows = trainingHistory(model.info.provenance.hyperParameters) // [{ epoch: 1, loss: 0.41, ... }, ...]
 * ```
 */
export function trainingHistory(hyperParameters: Readonly<Record<string, JsonValue>>): HistoryRow[] | null {
  const history = hyperParameters.history
  if (!Array.isArray(history) || history.length === 0) return null
  const rows: HistoryRow[] = []
  ;(history as readonly JsonValue[]).forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return
    const record = entry as { readonly [key: string]: JsonValue }
    const number = (key: string): number | null => {
      const value = record[key]
      return typeof value === 'number' && Number.isFinite(value) ? value : null
    }
    rows.push({ epoch: number('epoch') ?? i + 1, loss: number('loss'), accuracy: number('accuracy'), validationAccuracy: number('validationAccuracy'), validationNll: number('validationNll') })
  })
  return rows.some((row) => row.loss !== null || row.accuracy !== null) ? rows : null
}
