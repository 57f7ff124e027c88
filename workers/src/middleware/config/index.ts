import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../app-env.js'
import { workerConfig, type WorkerBindings } from '../../config/worker-config.js'

const NO_BINDINGS: WorkerBindings = Object.freeze({})

/**
 * Parses the worker bindings into `c.var.config` (once per bindings object, i.e. once per isolate).
 * An invalid variable fails every request with 500 `invalid_configuration`, loudly.
 *
 * @example
 * ```ts
 * app.use(configuration())
 * app.get('/limits', (c) => c.json(c.var.config.limits))
 * ```
 */
export function configuration(): MiddlewareHandler<AppEnv> {
  return async function configuration(c, next) {
    c.set('config', workerConfig((c.env as WorkerBindings | undefined) ?? NO_BINDINGS))
    await next()
  }
}
