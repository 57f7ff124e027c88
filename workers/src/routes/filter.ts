import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import { ApiError } from '../errors.js'
import type { ModelRegistry } from '../models/model-registry.js'
import { splitByVerdict } from '../ood/split-by-verdict.js'
import { filterQuerySchema } from '../schemas/predict-query.js'
import { runPrediction } from './run-prediction.js'
import { modelReference, servedModel } from './served-model.js'

/**
 * `POST /filter` (default model) and `POST /models/:name/filter`: edge OOD filtering. The batch is
 * split into accepted items (with their predictions) and rejected items (score above the bundle's
 * threshold for the chosen score); with `?strict=1` any rejection answers 422 `out_of_distribution`
 * listing the rejected indices. Takes every body kind of predict. Mounted under `/v1`.
 *
 * @example
 * ```ts
 * app.route('/v1', filterRoutes(registry))
 * ```
 */
export function filterRoutes(registry: ModelRegistry): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/filter', (c) => filter(c, registry, undefined))
    .post('/models/:name/filter', (c) => filter(c, registry, c.req.param('name')))
}

async function filter(c: Context<AppEnv>, registry: ModelRegistry, name: string | undefined): Promise<Response> {
  const { model } = await servedModel(c, registry, name)
  const { options, predictions, strict } = await runPrediction(c, model, filterQuerySchema)
  const { accepted, rejected } = splitByVerdict(predictions)
  if (strict && rejected.length > 0) {
    throw new ApiError('out_of_distribution', `${rejected.length} of ${predictions.length} items are out of distribution (${options.oodScore} above ${rejected[0]?.threshold})`, {
      details: { rejected: rejected.map((item) => item.index), scores: rejected.map((item) => item.score), threshold: rejected[0]?.threshold ?? null, oodScore: options.oodScore },
    })
  }
  return c.json({ model: modelReference(model), options, accepted, rejected })
}
