import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { onError } from '../../errors.js'
import { bearerAuth } from './index.js'

function app(token: string | null) {
  return new Hono()
    .use(bearerAuth({ token: () => token }))
    .get('/', (c) => c.text('in'))
    .onError(onError)
}

async function call(token: string | null, authorization?: string) {
  const response = await app(token).request('/', authorization === undefined ? {} : { headers: { authorization } })
  return { status: response.status, challenge: response.headers.get('www-authenticate'), body: await response.json<unknown>().catch(() => null) }
}

describe('bearerAuth', () => {
  it('lets everything through when no token is configured', async () => {
    expect((await call(null)).status).toBe(200)
  })

  it('accepts the right token, case-insensitive scheme', async () => {
    expect((await call('s3cr3t-token', 'Bearer s3cr3t-token')).status).toBe(200)
    expect((await call('s3cr3t-token', 'bearer s3cr3t-token')).status).toBe(200)
  })

  it('answers 401 JSON with a challenge for a missing, malformed or wrong token', async () => {
    expect(await call('s3cr3t', undefined)).toStrictEqual({
      status: 401,
      challenge: 'Bearer realm="sd-dropout"',
      body: { error: { code: 'unauthorized', message: 'missing Authorization header; send Authorization: Bearer <token>' } },
    })
    expect(await call('s3cr3t', 'Basic czNjcjN0')).toStrictEqual({
      status: 401,
      challenge: 'Bearer realm="sd-dropout", error="invalid_request"',
      body: { error: { code: 'unauthorized', message: 'malformed Authorization header; expected Bearer <token>' } },
    })
    for (const wrong of ['Bearer s3cr3', 'Bearer s3cr3t0', 'Bearer S3CR3T', 'Bearer ']) {
      const result = await call('s3cr3t', wrong)
      expect(result.status, wrong).toBe(401)
    }
    expect((await call('s3cr3t', 'Bearer s3cr3u')).challenge).toBe('Bearer realm="sd-dropout", error="invalid_token"')
  })
})
