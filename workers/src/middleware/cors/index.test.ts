import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { AppEnv } from '../../app-env.js'
import type { WorkerBindings } from '../../config/worker-config.js'
import { bearerAuth } from '../bearer-auth/index.js'
import { configuration } from '../config/index.js'
import { configuredCors } from './index.js'

function app(bindings: WorkerBindings) {
  const hono = new Hono<AppEnv>()
  hono.use(configuration(), configuredCors(), bearerAuth<AppEnv>({ token: (c) => c.var.config.apiToken }))
  hono.post('/v1/predict', (c) => c.json({ ok: true }))
  return { request: (init: RequestInit) => hono.request('/v1/predict', init, bindings) }
}

describe('configuredCors', () => {
  it('sends no CORS headers when CORS_ORIGINS is unset', async () => {
    const response = await app({}).request({ method: 'POST', headers: { origin: 'https://a.example.com' } })
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows any origin with *', async () => {
    const response = await app({ CORS_ORIGINS: '*' }).request({ method: 'POST', headers: { origin: 'https://a.example.com' } })
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-expose-headers')).toBe('x-request-id')
  })

  it('allows only listed origins and answers their preflight before auth', async () => {
    const configured = app({ CORS_ORIGINS: 'https://a.example.com,https://b.example.com', API_TOKEN: 't' })
    const preflight = await configured.request({
      method: 'OPTIONS',
      headers: { origin: 'https://b.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://b.example.com')
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-request-id,x-shape')
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET,POST,OPTIONS')
    const other = await configured.request({ method: 'POST', headers: { origin: 'https://evil.example.com', authorization: 'Bearer t' } })
    expect([other.status, other.headers.get('access-control-allow-origin'), other.headers.get('vary')]).toStrictEqual([200, null, 'Origin'])
  })
})
