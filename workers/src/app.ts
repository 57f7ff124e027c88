import { Hono } from 'hono'
import { methodNotAllowed } from 'hono/method-not-allowed'
import type { AppEnv } from './app-env.js'
import { ApiError, errorResponse, notFound, onError } from './errors.js'
import { bearerAuth } from './middleware/bearer-auth/index.js'
import { configuration } from './middleware/config/index.js'
import { configuredCors } from './middleware/cors/index.js'
import { requestId } from './middleware/request-id/index.js'
import { ModelRegistry, type LoadModelFunction } from './models/model-registry.js'
import { bundleRoutes } from './routes/bundle.js'
import { filterRoutes } from './routes/filter.js'
import { fineTuneRoutes } from './routes/fine-tune.js'
import { healthRoutes } from './routes/health.js'
import { modelRoutes } from './routes/models.js'
import { openApiRoutes } from './routes/openapi.js'
import { predictRoutes } from './routes/predict.js'

/** Options of {@link createApp}. */
export interface AppOptions {
  /** The built-in default bundle (`model.sdd` bytes; in a Worker, a wrangler `Data` module import). */
  readonly defaultBundle: Uint8Array | ArrayBuffer
  /** The runtime's `loadModel` from `@sd-dropout/sdk` (its workerd entry in a Worker). */
  readonly loadModel: LoadModelFunction
}

/**
 * The sd-dropout HTTP app: request id, configuration, CORS, then `/healthz` and `/openapi.json`
 * (public) and `/v1/*` (bearer auth when API_TOKEN is set): predict, filter, models, bundle and
 * fine-tune routes. The playground page at `/` is a static asset (wrangler.toml `[assets]`), served
 * before the app.
 * Models load once per app instance (once per isolate in a Worker). Every error is JSON from the
 * one `onError`.
 *
 * @example
 * ```ts
 * import { loadModel } from '@sd-dropout/sdk'
 * import bundle from './model.sdd'
 * export default createApp({ defaultBundle: bundle, loadModel })
 * ```
 */
export function createApp(options: AppOptions): Hono<AppEnv> {
  const registry = new ModelRegistry(options)
  const app = new Hono<AppEnv>()
  app.use(requestId(), configuration(), configuredCors())
  app.use(
    methodNotAllowed({
      app,
      onMethodNotAllowed: (c, methods) =>
        errorResponse(c, new ApiError('method_not_allowed', `${c.req.method} is not allowed here; use ${methods.join(', ')}`, { headers: { Allow: methods.join(', ') } })),
    }),
  )
  app.use('/v1/*', bearerAuth<AppEnv>({ token: (c) => c.var.config.apiToken }))
  app.route('/', healthRoutes())
  app.route('/', openApiRoutes())
  app.route('/v1', predictRoutes(registry))
  app.route('/v1', filterRoutes(registry))
  app.route('/v1', modelRoutes(registry))
  app.route('/v1', bundleRoutes(registry))
  app.route('/v1', fineTuneRoutes(registry))
  app.notFound(notFound)
  app.onError(onError)
  return app
}
