import type { Context, Env, MiddlewareHandler } from 'hono'
import { timingSafeEqual } from 'hono/utils/buffer'
import { ApiError } from '../../errors.js'

/** Options of {@link bearerAuth}. */
export interface BearerAuthOptions<E extends Env> {
  /** The expected token for this request, or null to let every request through (auth off). */
  readonly token: (c: Context<E>) => string | null
  /** `realm` of the `WWW-Authenticate` challenge. */
  readonly realm?: string
}

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i

/**
 * Requires `Authorization: Bearer <token>` when a token is configured (RFC 6750). Tokens are
 * compared in constant time (both SHA-256-hashed, then compared without early exit), so the
 * response time does not reveal how much of a guess was right. Failures are 401 `unauthorized`
 * with a `WWW-Authenticate: Bearer` challenge.
 *
 * @example
 * ```ts
 * app.use('/v1/*', bearerAuth({ token: (c) => c.env.API_TOKEN ?? null }))
 * ```
 */
export function bearerAuth<E extends Env>(options: BearerAuthOptions<E>): MiddlewareHandler<E> {
  const realm = options.realm ?? 'sd-dropout'
  const challenge = (error?: string): Record<string, string> => ({
    'WWW-Authenticate': `Bearer realm="${realm}"${error === undefined ? '' : `, error="${error}"`}`,
  })
  return async function bearerAuth(c, next) {
    const expected = options.token(c)
    if (expected === null) return next()
    const header = c.req.header('authorization')
    if (header === undefined) throw new ApiError('unauthorized', 'missing Authorization header; send Authorization: Bearer <token>', { headers: challenge() })
    const given = BEARER.exec(header)?.[1]
    if (given === undefined) throw new ApiError('unauthorized', 'malformed Authorization header; expected Bearer <token>', { headers: challenge('invalid_request') })
    if (!(await timingSafeEqual(given, expected))) throw new ApiError('unauthorized', 'invalid bearer token', { headers: challenge('invalid_token') })
    await next()
  }
}
