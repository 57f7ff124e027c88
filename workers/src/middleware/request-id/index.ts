import type { MiddlewareHandler } from 'hono'
import { requestId as honoRequestId } from 'hono/request-id'

/** Longest request id echoed back; longer ones are replaced. */
export const MAX_REQUEST_ID_LENGTH = 128

/**
 * Gives every response an `x-request-id` header (errors and 404s included) and sets
 * `c.var.requestId`: a valid incoming `x-request-id` (1-128 characters of `A-Z a-z 0-9 _ - =`) is
 * echoed, anything else is replaced by a random UUID. Hono's request-id middleware, configured.
 *
 * @example
 * ```ts
 * app.use(requestId())
 * // curl -H 'x-request-id: abc-1' ... -> x-request-id: abc-1
 * ```
 */
export function requestId(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return honoRequestId({ headerName: 'x-request-id', limitLength: MAX_REQUEST_ID_LENGTH })
}
