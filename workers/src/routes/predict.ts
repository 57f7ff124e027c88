import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { ModelRegistry } from '../models/model-registry.js'
import { predictQuerySchema } from '../schemas/predict-query.js'
import { runPrediction } from './run-prediction.js'
import { modelReference, servedModel } from './served-model.js'

/**
 * `POST /predict` (the built-in default model) and `POST /models/:name/predict`: calibrated
 * probabilities, MC-dropout uncertainty and an OOD verdict per item, plus the model's name, id and
 * SHA-256 and the options used. Mounted under `/v1`.
 *
 * @example
 * ```ts
 * app.route('/v1', predictRoutes(registry))
 * ```
 */
export function predictRoutes(registry: ModelRegistry): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .post('/predict', (c) => predict(c, registry, undefined))
    .post('/models/:name/predict', (c) => predict(c, registry, c.req.param('name')))
}

async function predict(c: Context<AppEnv>, registry: ModelRegistry, name: string | undefined): Promise<Response> {
  const { model } = await servedModel(c, registry, name)
  const { options, predictions } = await runPrediction(c, model, predictQuerySchema)
  return c.json({ model: modelReference(model), options, predictions })
}
