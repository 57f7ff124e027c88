import type { SdDropoutErrorCode } from '@sd-dropout/sdk'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

/** Codes only the HTTP layer raises (the SDK's own codes are listed beside them in {@link ERROR_CATALOGUE}). */
export type ApiErrorCode =
  | 'invalid_json'
  | 'invalid_request'
  | 'unauthorized'
  | 'not_found'
  | 'model_not_found'
  | 'method_not_allowed'
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
  invalid_json: { status: 400, description: 'The body is not valid UTF-8 JSON.' },
  invalid_request: {
    status: 400,
    description: 'The body, query or a header breaks the request schema: unknown or mistyped fields, bad base64, a bad x-shape header, a malformed multipart body, an empty body.',
  },
  shape_error: { status: 400, description: 'The data does not fit the model input shape (row length, tensor shape, byte count).' },
  input_error: { status: 400, description: 'The model cannot take these values: NaN or Infinity, an undecodable image, images for a vector model, an empty batch.' },
  option_error: { status: 400, description: 'samples / seed / oodScore do not apply to this model (e.g. an MC-dropout score with samples < 2, mahalanobis without statistics).' },
  unauthorized: { status: 401, description: 'A bearer token is configured and the Authorization header is missing, malformed or wrong.' },
  not_found: { status: 404, description: 'No such route.' },
  model_not_found: { status: 404, description: 'No model of that name is built in or configured.' },
  method_not_allowed: { status: 405, description: 'The route exists but not for this method (see the Allow header).' },
  aborted_error: {
    status: 408,
    description: 'The request was cancelled before its work finished (the client went away, or the run was aborted); nothing was produced or stored, so the same request may be sent again.',
  },
  payload_too_large: { status: 413, description: 'The body is over MAX_BODY_BYTES (by its Content-Length or by the bytes actually sent).' },
  batch_too_large: { status: 413, description: 'More items than MAX_BATCH in one request.' },
  image_too_large: { status: 413, description: 'An image has more pixels (width x height) than MAX_PIXELS, read from its header before decoding.' },
  unsupported_media_type: {
    status: 415,
    description: 'Content-Type is not application/json, application/octet-stream, image/png, image/jpeg or multipart/form-data.',
  },
  out_of_distribution: { status: 422, description: 'A strict filter (?strict=1) or an oodGuard refused items the model should not judge; details list them.' },
  not_fitted_error: { status: 422, description: 'The model has no threshold for the OOD score a filter needs.' },
  divergence_error: { status: 422, description: 'Fine-tuning diverged: the loss became NaN or infinite for these examples and options (lower learningRate); nothing was stored.' },
  invalid_configuration: { status: 500, description: 'A worker variable (MODELS, limits, CORS_ORIGINS, MODEL_PUBLIC_KEY) is invalid.' },
  internal_error: { status: 500, description: 'An unexpected failure; the message is generic and the request id is logged.' },
  kernel_error: { status: 500, description: 'A compute kernel failed to start or run.' },
  model_unavailable: {
    status: 503,
    description: 'The bundle cannot be loaded: R2 object missing, bad format, failed integrity check or signature refusal (details.cause names the SDK code).',
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
