import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { ApiError, notFound, onError } from '../../errors.js'
import { requestId } from './index.js'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

function app() {
  const hono = new Hono<{ Variables: { requestId: string } }>()
  hono.use(requestId())
  hono.get('/ok', (c) => c.text(c.var.requestId))
  hono.get('/fail', () => {
    throw new ApiError('invalid_request', 'bad')
  })
  return hono.notFound(notFound).onError(onError)
}

describe('requestId', () => {
  it('echoes a valid incoming id and exposes it to handlers', async () => {
    const response = await app().request('/ok', { headers: { 'x-request-id': 'trace_42-a=' } })
    expect(response.headers.get('x-request-id')).toBe('trace_42-a=')
    expect(await response.text()).toBe('trace_42-a=')
  })

  it('replaces a missing, too long or invalid id by a UUID', async () => {
    for (const incoming of [undefined, 'x'.repeat(129), 'has space', 'semi;colon', '']) {
      const response = await app().request('/ok', incoming === undefined ? {} : { headers: { 'x-request-id': incoming } })
      expect(response.headers.get('x-request-id'), String(incoming)).toMatch(UUID)
    }
    const longest = 'y'.repeat(128)
    expect((await app().request('/ok', { headers: { 'x-request-id': longest } })).headers.get('x-request-id')).toBe(longest)
  })

  it('is on error and not-found responses too', async () => {
    const failed = await app().request('/fail', { headers: { 'x-request-id': 'abc' } })
    expect([failed.status, failed.headers.get('x-request-id')]).toStrictEqual([400, 'abc'])
    const missing = await app().request('/nowhere', { headers: { 'x-request-id': 'def' } })
    expect([missing.status, missing.headers.get('x-request-id')]).toStrictEqual([404, 'def'])
  })
})
