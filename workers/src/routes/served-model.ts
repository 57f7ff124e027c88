import type { SdModel } from '@sd-dropout/sdk'
import type { Context } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { KeepAlive, ModelRegistry, ServedModel } from '../models/model-registry.js'

/**
 * The model a request names: `:name`, or the built-in default when the route has none.
 *
 * @throws {ApiError} `model_not_found`, `model_unavailable`, `invalid_configuration`.
 * @example
 * ```ts
 * const { model, source } = await servedModel(c, registry, c.req.param('name'))
 * ```
 */
export async function servedModel(c: Context<AppEnv>, registry: ModelRegistry, name: string | undefined): Promise<ServedModel> {
  const config = c.var.config
  if (name === undefined) return { model: await registry.defaultModel(config, keepAlive(c)), source: 'built-in', isDefault: true }
  return registry.get(name, config, c.env?.MODEL_BUCKET, keepAlive(c))
}

/**
 * `waitUntil` of the request's ExecutionContext, so a shared model load outlives a disconnected
 * first client. Outside Workers (in-process tests) there is no ExecutionContext and nothing to keep.
 *
 * @example
 * ```ts
 * await registry.defaultModel(config, keepAlive(c))
 * ```
 */
export function keepAlive(c: Context<AppEnv>): KeepAlive {
  return (work) => {
    let context: Context<AppEnv>['executionCtx']
    try {
      context = c.executionCtx
    } catch {
      return // Hono throws when the runtime gave no ExecutionContext (app.request in Node)
    }
    context.waitUntil(work.catch(() => undefined))
  }
}

/** How responses name the model that answered. */
export interface ModelReference {
  readonly name: string
  readonly id: string
  /** SHA-256 (hex) of the bundle file. */
  readonly sha256: string
}

/**
 * The model reference of a response.
 *
 * @example
 * ```ts
 * modelReference(model) // { name: 'mnist-sd-dropout', id: 'mnist-sd-dropout-2026...', sha256: '3f...' }
 * ```
 */
export function modelReference(model: Pick<SdModel, 'info'>): ModelReference {
  return { name: model.info.name, id: model.info.id, sha256: model.info.sha256 }
}
