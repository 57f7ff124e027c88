import type { SdDropoutErrorCode } from '@sd-dropout/sdk'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Codes only the HTTP layer raises (the SDK's own codes are listed beside them in {@link ERROR_CATALOGUE}). */
export type ApiErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthorized'
  | 'fine_tuning_disabled'
  | 'not_found'
  | 'model_not_found'
  | 'method_not_allowed'
  | 'model_exists'
  | 'payload_too_large'
  | 'batch_too_large'
  | 'image_too_large'
  | 'unsupported_media_type'
  | 'out_of_distribution'
  | 'invalid_configuration'
  | 'model_unavailable'
  | 'internal_error'

/** The SDK codes that reach HTTP clients as they are (bundle errors become `model_unavailable`). */
export type ForwardedSdkErrorCode = Extract<
  SdDropoutErrorCode,
  'shape_error' | 'input_error' | 'option_error' | 'not_fitted_error' | 'kernel_error' | 'aborted_error' | 'divergence_error'
>

/** Every `error.code` an HTTP response of the worker can carry. */
export type ErrorCode = ApiErrorCode | ForwardedSdkErrorCode

/** One catalogue entry: the HTTP status and when the code is used. */
export interface ErrorCatalogueEntry {
  readonly status: ContentfulStatusCode
  readonly description: string
}

/**
 * The documented catalogue of error codes (docs/http.md renders it): every error response is
 * `{ "error": { "code", "message", "details"? } }` with the status listed here. 4xx codes are the
 * client's to fix; 5xx codes are the deployment's (configuration, a damaged bundle, a bug).
 *
 * @example
 * ```ts
 * ERROR_CATALOGUE.payload_too_large.status // 413
 * ```
 */
export const ERROR_CATALOGUE: Readonly<Record<ErrorCode, ErrorCatalogueEntry>> = {
  invalid_json: { status: 400, description: 'The body (or a JSON part of a fine-tuning body: labels, options) is not valid UTF-8 JSON.' },
  invalid_request: {
    status: 400,
    description:
      'The body, query or a header breaks the request schema: unknown or mistyped fields, bad base64, a bad x-shape header, a malformed multipart body, an empty body; for fine-tuning, a missing, repeated or unknown part, or bad labels / options.',
  },
  shape_error: { status: 400, description: 'The data does not fit the model input shape (row length, tensor shape, byte count), or the examples and labels differ in number.' },
  input_error: {
    status: 400,
    description: 'The model cannot take these values: NaN or Infinity, an undecodable image, images for a vector model, an empty batch; a label the (new) label set does not have, a new class without examples, too few examples to hold any out.',
  },
  option_error: {
    status: 400,
    description: 'An option does not apply to this model or deployment: an MC-dropout score with samples < 2, mahalanobis without statistics; fine-tuning epochs over MAX_FINE_TUNE_EPOCHS, momentum with adam.',
  },
  unauthorized: { status: 401, description: 'A bearer token is configured and the Authorization header is missing, malformed or wrong.' },
  fine_tuning_disabled: {
    status: 403,
    description: 'Fine-tuning is off on this deployment: it needs an API_TOKEN secret and a MODEL_BUCKET binding, and no MODEL_PUBLIC_KEY (the worker cannot sign what it writes); details.missing says which.',
  },
  not_found: { status: 404, description: 'No such route.' },
  model_not_found: { status: 404, description: 'No model of that name is built in, configured in MODELS or fine-tuned into MODEL_BUCKET.' },
  method_not_allowed: { status: 405, description: 'The route exists but not for this method (see the Allow header).' },
  aborted_error: {
    status: 408,
    description: 'The request was cancelled before its work finished (the client went away, or the run was aborted); nothing was produced or stored, so the same request may be sent again.',
  },
  model_exists: { status: 409, description: 'Fine-tuning would write a model under a name that is taken (the built-in model, one in MODELS, or an earlier fine-tuned model); nothing was written.' },
  payload_too_large: { status: 413, description: 'The body is over MAX_BODY_BYTES (MAX_FINE_TUNE_BODY_BYTES for fine-tuning), by its Content-Length or by the bytes actually sent.' },
  batch_too_large: { status: 413, description: 'More items than MAX_BATCH in one request (more examples than MAX_FINE_TUNE_EXAMPLES for fine-tuning).' },
  image_too_large: { status: 413, description: 'An image has more pixels (width x height) than MAX_PIXELS, read from its header before decoding.' },
  unsupported_media_type: {
    status: 415,
    description: 'Content-Type is not application/json, application/octet-stream, image/png, image/jpeg or multipart/form-data (fine-tuning: not multipart/form-data).',
  },
  out_of_distribution: { status: 422, description: 'A strict filter (?strict=1) or an oodGuard refused items the model should not judge; details list them.' },
  not_fitted_error: { status: 422, description: 'The model has no threshold for the OOD score a filter needs.' },
  divergence_error: { status: 422, description: 'Fine-tuning diverged: the loss became NaN or infinite for these examples and options (lower learningRate); nothing was stored.' },
  invalid_configuration: { status: 500, description: 'A worker variable (MODELS, limits, CORS_ORIGINS, MODEL_PUBLIC_KEY) is invalid.' },
  internal_error: { status: 500, description: 'An unexpected failure; the message is generic and the request id is logged.' },
  kernel_error: { status: 500, description: 'A compute kernel failed to start or run.' },
  model_unavailable: {
    status: 503,
    description:
      'The bundle cannot be loaded: R2 object missing, bad format, failed integrity check or signature refusal (details.cause names the SDK code); or a fine-tuned bundle cannot be written to R2 (cause r2_error).',
  },
}

/**
 * All codes of the catalogue, in its order.
 *
 * @example
 * ```ts
 * ERROR_CODES.includes('unauthorized') // true
 * ```
 */
export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as readonly ErrorCode[]
