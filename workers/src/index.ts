/**
 * @sd-dropout/workers: the sd-dropout HTTP API as a Hono app for Cloudflare Workers, and the
 * pieces to build your own: `oodGuard()` (edge OOD filtering in front of any route), the JSON error
 * mapping with its documented code catalogue, and the body parser that turns any accepted request
 * body into SDK input; fine-tuning at the edge (`POST /v1/models/:name/fine-tune`) writes new
 * bundles to R2 under `fine-tuned/<name>.sdd`. docs/http.md documents the API.
 */
export { createApp, type AppOptions } from './app.js'
export type { AppEnv, AppVariables } from './app-env.js'
export { parseModelInput, type ParsedRequestBody } from './body/parse-model-input.js'
export {
  DEFAULT_FINE_TUNE_LIMITS,
  DEFAULT_LIMITS,
  workerConfig,
  type FineTuneLimits,
  type ModelBucket,
  type ModelPutOptions,
  type RequestLimits,
  type WorkerBindings,
  type WorkerConfig,
  type WritableModelBucket,
} from './config/worker-config.js'
export { ERROR_CATALOGUE, ERROR_CODES, type ApiErrorCode, type ErrorCatalogueEntry, type ErrorCode } from './error-catalogue.js'
export { ApiError, describeError, errorResponse, notFound, onError, type ApiErrorOptions, type ErrorBody, type ErrorReply } from './errors.js'
export { fineTuningBlockers, type FineTuningBlocker } from './fine-tune/fine-tuning-gate.js'
export { bearerAuth, type BearerAuthOptions } from './middleware/bearer-auth/index.js'
export { FINE_TUNED_PREFIX, fineTunedModelKey } from './models/fine-tuned-model-key.js'
export { oodGuard, type OodGuardOptions, type OodGuardResult, type OodGuardVariables, type PredictingModel } from './middleware/ood-guard/index.js'
export { splitByVerdict, type AcceptedItem, type RejectedItem, type SplitBatch } from './ood/split-by-verdict.js'
export { openApiDocument } from './openapi/openapi-document.js'
