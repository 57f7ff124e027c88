import { resolvePredictOptions, type ModelInput, type PredictOptions, type Prediction, type ResolvedPredictOptions, type SdModel } from '@sd-dropout/sdk'
import type { Context, Env, MiddlewareHandler } from 'hono'
import { parseModelInput } from '../../body/parse-model-input.js'
import { DEFAULT_LIMITS, type RequestLimits } from '../../config/worker-config.js'
import { ApiError, errorResponse } from '../../errors.js'
import { splitByVerdict } from '../../ood/split-by-verdict.js'

/** What the guard needs of a model (an `SdModel` fits). */
export type PredictingModel = Pick<SdModel, 'info' | 'predict'>

/** Options of {@link oodGuard}. */
export interface OodGuardOptions<E extends Env = Env> {
  /** The model, or how to get it for a request. */
  readonly model: PredictingModel | ((c: Context<E>) => PredictingModel | Promise<PredictingModel>)
  /** The batch to screen; default: the request body, read like `POST /v1/predict` (JSON, tensor, raw float32, PNG/JPEG, multipart). */
  readonly input?: (c: Context<E>) => ModelInput | Promise<ModelInput>
  /** samples / seed / oodScore of the screening prediction (the route's policy; default: the bundle's). */
  readonly predictOptions?: PredictOptions
  /** Body, batch and pixel caps of the default input reader (default 4 MiB, 64, 1 Mi). */
  readonly limits?: Partial<RequestLimits>
}

/** What the guard leaves in `c.var.oodGuard` for the handler after it. */
export interface OodGuardResult {
  readonly model: PredictingModel
  /** The screened batch (the request body has been consumed: use this). */
  readonly input: ModelInput
  /** One prediction per item, all in distribution. */
  readonly predictions: readonly Prediction[]
  readonly options: ResolvedPredictOptions
}

/** Variables `oodGuard` adds to the context. */
export interface OodGuardVariables {
  oodGuard: OodGuardResult
}

/**
 * Hono middleware that puts edge OOD filtering in front of any route: it predicts the request's
 * batch and answers 422 `out_of_distribution` (details: the rejected indices and scores) when any
 * item scores above the bundle's threshold; otherwise the next handler runs with the predictions in
 * `c.var.oodGuard`. Bad input gets the JSON 4xx of the error catalogue, whatever the app's onError.
 *
 * @example
 * ```ts
 * app.post('/v1/digits/sum', oodGuard({ model: () => model, predictOptions: { samples: 32 } }), (c) =>
 *   c.json({ sum: c.var.oodGuard.predictions.reduce((s, p) => s + Number(p.label), 0) }))
 * ```
 */
export function oodGuard<E extends Env = Env>(options: OodGuardOptions<E>): MiddlewareHandler<E & { Variables: OodGuardVariables }> {
  const limits: RequestLimits = { ...DEFAULT_LIMITS, ...options.limits }
  return async function oodGuard(c, next) {
    let result: OodGuardResult
    try {
      const context = c as unknown as Context<E>
      const model = typeof options.model === 'function' ? await options.model(context) : options.model
      const resolved = resolvePredictOptions(options.predictOptions ?? {}, model.info)
      const input = options.input === undefined ? await bodyInput(c.req.raw, model, limits) : await options.input(context)
      const predictions = await model.predict(input, resolved)
      const { rejected } = splitByVerdict(predictions)
      if (rejected.length > 0) {
        throw new ApiError('out_of_distribution', `${rejected.length} of ${predictions.length} items are out of distribution for ${model.info.name} (${resolved.oodScore} above its threshold)`, {
          details: { rejected: rejected.map((r) => r.index), scores: rejected.map((r) => r.score), threshold: rejected[0]?.threshold ?? null, oodScore: resolved.oodScore },
        })
      }
      result = { model, input, predictions, options: resolved }
    } catch (error) {
      return errorResponse(c, error)
    }
    c.set('oodGuard', result)
    await next()
  }
}

async function bodyInput(request: Request, model: PredictingModel, limits: RequestLimits): Promise<ModelInput> {
  const { input, options } = await parseModelInput(request, model.info, limits)
  if (Object.keys(options).length > 0) throw new ApiError('invalid_request', 'this route sets samples / seed / oodScore itself; remove them from the body')
  return input
}
