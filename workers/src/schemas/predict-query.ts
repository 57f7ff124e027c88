import { MAX_SAMPLES, OOD_SCORE_NAMES, type PredictOptions } from '@sd-dropout/sdk'
import * as v from 'valibot'
import { ApiError } from '../errors.js'
import { MAX_SEED } from './predict-options.js'
import { parseWith } from './parse-with.js'

const integerParameter = (max: number, description: string) =>
  v.pipe(v.string(), v.regex(/^\d{1,10}$/, 'must be a decimal integer'), v.transform(Number), v.number(), v.maxValue(max), v.description(description))

/** Query parameters of `POST .../predict` (options for every body kind; JSON bodies may carry them instead). */
export const predictQuerySchema = v.strictObject({
  samples: v.optional(integerParameter(MAX_SAMPLES, `MC-dropout samples S, 0..${MAX_SAMPLES}.`)),
  seed: v.optional(integerParameter(MAX_SEED, 'Dropout-mask seed, unsigned 32-bit.')),
  oodScore: v.optional(v.pipe(v.picklist(OOD_SCORE_NAMES), v.description('OOD score that decides the verdict.'))),
})

/** Query parameters of `POST .../filter`: the predict ones plus `strict`. */
export const filterQuerySchema = v.strictObject({
  ...predictQuerySchema.entries,
  strict: v.optional(v.pipe(v.picklist(['0', '1', 'true', 'false']), v.description('1 or true: answer 422 out_of_distribution when any item is rejected.'))),
})

/** Parsed query options. */
export interface QueryOptions {
  readonly options: PredictOptions
  readonly strict: boolean
}

/**
 * Parses a query (`c.req.queries()`, every value of every key) with a schema; a repeated key is refused.
 *
 * @throws {ApiError} `invalid_request` for unknown keys, repeated keys or bad values.
 * @example
 * ```ts
 * parseQuery({ samples: ['32'] }, predictQuerySchema) // { options: { samples: 32 }, strict: false }
 * ```
 */
export function parseQuery(queries: Readonly<Record<string, readonly string[]>>, schema: typeof predictQuerySchema | typeof filterQuerySchema): QueryOptions {
  const single: Record<string, string> = {}
  for (const [key, values] of Object.entries(queries)) {
    if (values.length !== 1) throw new ApiError('invalid_request', `query.${key}: given ${values.length} times (at most once)`, { details: { path: `query.${key}` } })
    single[key] = values[0] as string
  }
  const parsed: { samples?: number; seed?: number; oodScore?: PredictOptions['oodScore']; strict?: string } = parseWith(schema, single, 'query')
  const { strict, ...options } = parsed
  return { options, strict: strict === '1' || strict === 'true' }
}
