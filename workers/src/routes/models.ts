import type { SdModel } from '@sd-dropout/sdk'
import { Hono } from 'hono'
import type { AppEnv } from '../app-env.js'
import { ApiError } from '../errors.js'
import type { ModelRegistry, ServedModel } from '../models/model-registry.js'
import { keepAlive } from './served-model.js'

/**
 * A model's listing entry: identity, source, labels and input spec.
 *
 * @example
 * ```ts
 * modelSummary({ model, source: 'built-in', isDefault: true }).labels // ['0', '1', ...]
 * ```
 */
export function modelSummary(served: ServedModel) {
  const info = served.model.info
  return {
    name: info.name,
    id: info.id,
    sha256: info.sha256,
    source: served.source,
    default: served.isDefault,
    signatureVerified: info.signatureVerified,
    createdAt: info.createdAt,
    labels: info.labels,
    input: info.input,
  }
}

/**
 * A model's full metadata: the summary plus calibration, OOD settings and thresholds, selective
 * prediction, metrics, provenance and the kernels that run it.
 *
 * @example
 * ```ts
 * modelDetail(served).ood.thresholds // { energy: -7.1, ... }
 * ```
 */
export function modelDetail(served: ServedModel) {
  const { info, runtime }: SdModel = served.model
  return {
    ...modelSummary(served),
    featureDim: info.featureDim,
    dropoutRate: info.dropoutRate,
    calibration: info.calibration,
    ood: info.ood,
    selective: info.selective,
    metrics: info.metrics,
    provenance: info.provenance,
    runtime: { backbone: runtime.backbone, head: runtime.head },
  }
}

/**
 * `GET /models` (every model: the built-in one first, then those of MODELS; one that cannot load is
 * listed with its error) and `GET /models/:name` (full metadata). Mounted under `/v1`.
 *
 * @example
 * ```ts
 * app.route('/v1', modelRoutes(registry))
 * ```
 */
export function modelRoutes(registry: ModelRegistry): Hono<AppEnv> {
  return new Hono<AppEnv>()
    .get('/models', async (c) => {
      const config = c.var.config
      const names = await registry.names(config, keepAlive(c))
      const models = await Promise.all(
        names.map(async (name) => {
          try {
            return modelSummary(await registry.get(name, config, c.env?.MODEL_BUCKET, keepAlive(c)))
          } catch (error) {
            if (!(error instanceof ApiError) || error.code !== 'model_unavailable') throw error
            return { name, source: 'r2', default: false, error: { code: error.code, message: error.message } }
          }
        }),
      )
      return c.json({ default: names[0], models })
    })
    .get('/models/:name', async (c) => c.json(modelDetail(await registry.get(c.req.param('name'), c.var.config, c.env?.MODEL_BUCKET, keepAlive(c)))))
}
