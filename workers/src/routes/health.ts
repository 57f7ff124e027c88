import { Hono } from 'hono'
import type { AppEnv } from '../app-env.js'

/**
 * `GET /healthz`: 200 `{ "status": "ok" }` while the isolate serves requests. Cheap: it loads no
 * model and needs no token (use `GET /v1/models` to check that models load).
 *
 * @example
 * ```ts
 * app.route('/', healthRoutes())
 * ```
 */
export function healthRoutes(): Hono<AppEnv> {
  return new Hono<AppEnv>().get('/healthz', (c) => c.json({ status: 'ok' }))
}
