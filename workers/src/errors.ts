import { SdDropoutError, type ErrorDetails } from '@sd-dropout/sdk'
import type { Context, Env, ErrorHandler, NotFoundHandler } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { ERROR_CATALOGUE, type ApiErrorCode, type ErrorCode, type ForwardedSdkErrorCode } from './error-catalogue.js'

/** Options of {@link ApiError}. */
export interface ApiErrorOptions {
  /** Structured context (plain JSON values), sent as `error.details`. */
  readonly details?: ErrorDetails
  /** Extra response headers (e.g. `WWW-Authenticate`, `Allow`). */
  readonly headers?: Readonly<Record<string, string>>
  readonly cause?: unknown
}

/**
 * An error the HTTP layer raises itself: a Hono `HTTPException` with a literal `code` from the
 * catalogue; its status is the catalogue's. Turned into JSON by {@link onError}.
 *
 * @example
 * ```ts
 * throw new ApiError('batch_too_large', 'batch of 300 items is over MAX_BATCH = 64', { details: { batch: 300, maxBatch: 64 } })
 * ```
 */
export class ApiError extends HTTPException {
  readonly code: ApiErrorCode
  readonly details: ErrorDetails
  readonly headers: Readonly<Record<string, string>>

  constructor(code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(ERROR_CATALOGUE[code].status, { message, cause: options.cause })
    this.name = 'ApiError'
    this.code = code
    this.details = options.details ?? {}
    this.headers = options.headers ?? {}
  }
}

/** The JSON body of every error response. `details` appears only when there is context. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string; readonly details?: ErrorDetails }
}

/** What an error becomes on the wire. */
export interface ErrorReply {
  readonly status: ContentfulStatusCode
  readonly body: ErrorBody
  readonly headers: Readonly<Record<string, string>>
  /** True for failures that are not the client's (logged with the request id). */
  readonly internal: boolean
}

const FORWARDED: ReadonlySet<string> = new Set<ForwardedSdkErrorCode>(['shape_error', 'input_error', 'option_error', 'not_fitted_error', 'kernel_error', 'aborted_error', 'divergence_error'])
const BY_STATUS: Readonly<Partial<Record<number, ApiErrorCode>>> = {
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
}

/**
 * The one mapping from anything thrown to an HTTP error: {@link ApiError} keeps its code; the
 * SDK's input errors (`shape_error`, `input_error`, `option_error`, `not_fitted_error`), the
 * fine-tuning ones (`aborted_error`, `divergence_error`) and `kernel_error` keep theirs with the
 * catalogue status; bundle errors (`format_error`, `integrity_error`, `signature_error`) become 503
 * `model_unavailable` with `details.cause`; other `HTTPException`s map by status; anything else is
 * a generic 500 `internal_error`.
 *
 * @example
 * ```ts
 * describeError(new InputError('NaN at item 0')).status // 400
 * ```
 */
export function describeError(error: unknown): ErrorReply {
  if (error instanceof ApiError) return reply(error.code, error.message, error.details, error.headers)
  if (error instanceof SdDropoutError) {
    if (FORWARDED.has(error.code)) return reply(error.code as ForwardedSdkErrorCode, error.message, error.details)
    return reply('model_unavailable', `the model bundle cannot be used: ${error.message}`, { ...error.details, cause: error.code })
  }
  if (error instanceof HTTPException) {
    const code = BY_STATUS[error.status] ?? (error.status >= 500 ? 'internal_error' : 'invalid_request')
    return { ...reply(code, error.message || ERROR_CATALOGUE[code].description), status: error.status }
  }
  return reply('internal_error', 'internal error')
}

function reply(code: ErrorCode, message: string, details: ErrorDetails = {}, headers: Readonly<Record<string, string>> = {}): ErrorReply {
  const status = ERROR_CATALOGUE[code].status
  const error = Object.keys(details).length > 0 ? { code, message, details } : { code, message }
  return { status, body: { error }, headers, internal: status >= 500 }
}

/**
 * Builds the JSON error response for `error` on a Hono context (headers set earlier by middleware,
 * such as `x-request-id` and CORS, are kept). Server-side failures are logged with the request id.
 *
 * @example
 * ```ts
 * app.use(async (c, next) => { try { await next() } catch (error) { return errorResponse(c, error) } })
 * ```
 */
export function errorResponse<E extends Env>(c: Context<E>, error: unknown): Response {
  const described = describeError(error)
  if (described.internal) {
    const requestId = (c.var as { requestId?: unknown }).requestId
    console.error(`[${typeof requestId === 'string' ? requestId : '-'}] ${described.body.error.code}:`, error)
  }
  return c.json(described.body, described.status, described.headers)
}

/**
 * The app's `onError`: every thrown error becomes `{ "error": { "code", "message", "details"? } }`.
 *
 * @example
 * ```ts
 * const app = new Hono().onError(onError)
 * ```
 */
export const onError: ErrorHandler = (error, c) => errorResponse(c, error)

/**
 * The app's `notFound`: a JSON 404 `not_found`.
 *
 * @example
 * ```ts
 * const app = new Hono().notFound(notFound)
 * ```
 */
export const notFound: NotFoundHandler = (c) => errorResponse(c, new ApiError('not_found', `no route ${c.req.method} ${new URL(c.req.url).pathname}`))
