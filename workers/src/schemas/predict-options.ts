import { MAX_SAMPLES, OOD_SCORE_NAMES } from '@sd-dropout/sdk'
import * as v from 'valibot'

/** Largest mask seed: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff

/** `samples`: MC-dropout samples S (0 = the deterministic prediction); default: the S the bundle's thresholds were fitted at. */
export const samplesSchema = v.pipe(
  v.number(),
  v.integer(),
  v.minValue(0),
  v.maxValue(MAX_SAMPLES),
  v.description(`MC-dropout samples S, 0..${MAX_SAMPLES} (0 = deterministic); default: the S the bundle's OOD thresholds were fitted at.`),
)

/** `seed`: the dropout-mask seed; the same seed gives the same answer. */
export const seedSchema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEED), v.description('Dropout-mask seed, an unsigned 32-bit integer; default 0.'))

/** `oodScore`: which OOD score decides the verdict. */
export const oodScoreSchema = v.pipe(v.picklist(OOD_SCORE_NAMES), v.description("OOD score that decides the verdict; default: the bundle's."))

/**
 * The predict options as JSON body fields (the same names as the SDK's `PredictOptions`).
 *
 * @example
 * ```ts
 * v.strictObject({ inputs: rows, ...predictOptionEntries })
 * ```
 */
export const predictOptionEntries = {
  samples: v.optional(samplesSchema),
  seed: v.optional(seedSchema),
  oodScore: v.optional(oodScoreSchema),
}
