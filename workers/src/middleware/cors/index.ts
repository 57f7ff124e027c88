import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'
import type { AppEnv } from '../../app-env.js'
import type { WorkerConfig } from '../../config/worker-config.js'

/** Request headers a browser may send cross-origin. */
export const CORS_ALLOW_HEADERS = ['authorization', 'content-type', 'x-request-id', 'x-shape']

const handlers = new WeakMap<WorkerConfig, MiddlewareHandler>()

/**
 * CORS from `CORS_ORIGINS`: unset sends no CORS headers (browsers then block cross-origin calls);
 * `*` allows any origin; a comma-separated list allows exactly those origins (with `Vary: Origin`).
 * Preflights (`OPTIONS`) are answered 204 before auth; `x-request-id` is exposed to scripts.
 *
 * @example
 * ```ts
 * app.use(configuration(), configuredCors())
 * ```
 */
export function configuredCors(): MiddlewareHandler<AppEnv> {
  return async function configuredCors(c, next) {
    const config = c.var.config
    if (config.corsOrigins === null) return next()
    let handler = handlers.get(config)
    if (handler === undefined) {
      handler = cors({
        origin: config.corsOrigins === '*' ? '*' : [...config.corsOrigins],
        allowMethods: ['GET', 'POST', 'OPTIONS'],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: ['x-request-id'],
        maxAge: 600,
      })
      handlers.set(config, handler)
    }
    return handler(c, next)
  }
}
