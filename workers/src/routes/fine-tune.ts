import { Hono, type Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import { parseFineTuneBody } from '../body/fine-tune-body.js'
import { ApiError } from '../errors.js'
import { fineTuningBucket } from '../fine-tune/fine-tuning-gate.js'
import { assertModelNameFree, storeFineTunedModel } from '../fine-tune/store-fine-tuned-model.js'
import { fineTunedModelName } from '../models/fine-tuned-model-key.js'
import type { ModelRegistry } from '../models/model-registry.js'
import { keepAlive, modelReference } from './served-model.js'

/**
 * `POST /models/:name/fine-tune`: adapts a served model's head to labelled examples in the worker
 * (the SDK's `model.fineTune`: frozen backbone, SD-Dropout head training with the wasm SIMD
 * gradient kernel, re-calibration on a held-out part), writes the new bundle to MODEL_BUCKET as
 * `fine-tuned/<new name>.sdd` (create-only) and answers 201 with the new model's name, id, SHA-256,
 * R2 key and metrics; the new model is then served by name. Needs the bearer token; off (403
 * `fine_tuning_disabled`) without API_TOKEN or MODEL_BUCKET, or with MODEL_PUBLIC_KEY. Mounted
 * under `/v1`.
 *
 * @example
 * ```ts
 * app.route('/v1', fineTuneRoutes(registry))
 * ```
 */
export function fineTuneRoutes(registry: ModelRegistry): Hono<AppEnv> {
  return new Hono<AppEnv>().post('/models/:name/fine-tune', (c) => fineTune(c, registry, c.req.param('name')))
}

async function fineTune(c: Context<AppEnv>, registry: ModelRegistry, parentName: string): Promise<Response> {
  const config = c.var.config
  const bucket = fineTuningBucket(config, c.env?.MODEL_BUCKET)
  const { model: parent } = await registry.get(parentName, config, bucket, keepAlive(c))
  const request = await parseFineTuneBody(c.req.raw, parent.info, config)
  const name = request.options.name ?? fineTunedModelName(parent.info.name)
  if (await registry.isReserved(name, config)) {
    throw new ApiError('model_exists', `${name} is the name of a built-in or configured model; choose another name`, { details: { model: name } })
  }
  await assertModelNameFree(bucket, name)
  const count = request.labels.length
  const result = await parent.fineTune(request.input, request.labels, {
    ...request.options,
    name,
    dataName: request.options.dataName ?? `${count} ${request.examples === 'images' ? 'images' : 'float32 examples'} sent to POST /v1/models/${parent.info.name}/fine-tune`,
    signal: c.req.raw.signal,
  })
  const stored = await storeFineTunedModel(bucket, name, result.bundle, { id: result.manifest.id, parentId: parent.info.id, parentName: parent.info.name })
  return c.json(
    {
      model: { name, id: result.manifest.id, sha256: stored.sha256 },
      parent: modelReference(parent),
      r2Key: stored.key,
      bytes: stored.bytes,
      labels: result.manifest.labels,
      split: result.split,
      kernel: result.kernel,
      metrics: result.metrics,
      history: result.history,
    },
    201,
    { Location: `/v1/models/${name}` },
  )
}
