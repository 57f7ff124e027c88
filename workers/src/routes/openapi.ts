import { Hono } from 'hono'
import type { AppEnv } from '../app-env.js'
import { openApiDocument } from '../openapi/openapi-document.js'

/**
 * `GET /openapi.json`: the OpenAPI 3.1 document generated from the request schemas (no token needed).
 *
 * @example
 * ```ts
 * app.route('/', openApiRoutes())
 * ```
 */
export function openApiRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/openapi.json', (c) => c.json(openApiDocument()))
}
