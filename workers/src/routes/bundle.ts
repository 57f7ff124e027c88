import { Hono } from 'hono'
import type { AppEnv } from '../app-env.js'
import type { ModelRegistry } from '../models/model-registry.js'
import { keepAlive } from './served-model.js'

/**
 * Whether an `If-None-Match` header value matches `etag` (RFC 9110 13.1.2, weak comparison): `*`,
 * or a comma-separated list holding the same opaque tag, with or without `W/`.
 *
 * @example
 * ```ts
 * ifNoneMatchHits('"ab12", W/"cd34"', '"cd34"') // true
 * ifNoneMatchHits(undefined, '"cd34"') // false
 * ```
 */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  return header.split(',').some((tag) => {
    const trimmed = tag.trim()
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag
  })
}

/**
 * `GET /models/:name/bundle`: the model's bundle file (`.sdd` bytes, exactly what the worker
 * loaded), so a browser can run the same model with the SDK's browser entry. `ETag` is the quoted
 * SHA-256 of the file (`model.info.sha256`, what `sha256sum` prints); `If-None-Match` with it
 * answers 304 without a body. `Cache-Control: no-cache` makes caches revalidate, so a redeployed
 * model is never served stale. Mounted under `/v1` (bearer auth when API_TOKEN is set).
 *
 * @example
 * ```ts
 * app.route('/v1', bundleRoutes(registry))
 * // curl -O -J http://127.0.0.1:8787/v1/models/mnist-sd-dropout/bundle
 * ```
 */
export function bundleRoutes(registry: ModelRegistry): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/models/:name/bundle', async (c) => {
    const { model } = await registry.get(c.req.param('name'), c.var.config, c.env?.MODEL_BUCKET, keepAlive(c))
    const etag = `"${model.info.sha256}"`
    const headers = {
      ETag: etag,
      'Cache-Control': 'no-cache',
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${model.info.name}.sdd"`,
    }
    if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304, headers)
    const bytes = registry.bundleBytes(model)
    return c.body(bytes.slice(), 200, headers)
  })
}
