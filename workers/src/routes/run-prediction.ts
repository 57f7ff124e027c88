import { resolvePredictOptions, type Prediction, type ResolvedPredictOptions, type SdModel } from '@sd-dropout/sdk'
import type { Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import { parseModelInput } from '../body/parse-model-input.js'
import { ApiError } from '../errors.js'
import { parseQuery, type filterQuerySchema, type predictQuerySchema } from '../schemas/predict-query.js'

/** A finished prediction of a request's batch. */
export interface RequestPrediction {
  readonly options: ResolvedPredictOptions
  readonly predictions: Prediction[]
  /** `?strict=1` (filter routes). */
  readonly strict: boolean
}

/**
 * Parses a predict request (query first, then the body of any kind), merges the options (query or
 * JSON body, not both), fills the bundle's defaults and runs the model.
 *
 * @throws {ApiError} / SDK errors, mapped to 4xx by `onError`.
 * @example
 * ```ts
 * const { options, predictions } = await runPrediction(c, model, predictQuerySchema)
 * ```
 */
export async function runPrediction(c: Context<AppEnv>, model: SdModel, querySchema: typeof predictQuerySchema | typeof filterQuerySchema): Promise<RequestPrediction> {
  const query = parseQuery(c.req.queries(), querySchema)
  const body = await parseModelInput(c.req.raw, model.info, c.var.config.limits)
  const both = Object.keys(body.options).filter((key) => Object.hasOwn(query.options, key))
  if (both.length > 0) throw new ApiError('invalid_request', `${both.join(', ')} given in both the query and the body; give each option once`)
  const options = resolvePredictOptions({ ...query.options, ...body.options }, model.info)
  return { options, predictions: await model.predict(body.input, options), strict: query.strict }
}
