import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { fakeInfo, fakeModel } from '../../testing/fake-model.js'
import { oodGuard } from './index.js'

const row = Array(64).fill(0.5)
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

function app(scores: number[], options: { samples?: number } = {}) {
  const model = fakeModel(scores)
  const hono = new Hono()
  hono.post('/digits', oodGuard({ model: () => model, predictOptions: options }), (c) => c.json({ labels: c.var.oodGuard.predictions.map((p) => p.label), options: c.var.oodGuard.options }))
  return { hono, model }
}

describe('oodGuard', () => {
  it('lets an in-distribution batch through with its predictions and the resolved options', async () => {
    const { hono, model } = app([-3, -2], { samples: 8 })
    const response = await hono.request('/digits', json({ inputs: [row, row] }))
    expect(response.status).toBe(200)
    expect(await response.json()).toStrictEqual({ labels: ['cat', 'cat'], options: { samples: 8, seed: 0, oodScore: 'energy' } })
    expect(model.calls).toStrictEqual([{ input: [row, row], options: { samples: 8, seed: 0, oodScore: 'energy' } }])
  })

  it('answers 422 out_of_distribution listing the rejected items, without running the handler', async () => {
    const { hono } = app([-3, 0.25, -0.5])
    const response = await hono.request('/digits', json({ inputs: [row, row, row] }))
    expect(response.status).toBe(422)
    expect(await response.json()).toStrictEqual({
      error: {
        code: 'out_of_distribution',
        message: '2 of 3 items are out of distribution for fake (energy above its threshold)',
        details: { rejected: [1, 2], scores: [0.25, -0.5], threshold: -1, oodScore: 'energy' },
      },
    })
  })

  it('answers bad input with the JSON 4xx of the catalogue, even in an app without onError', async () => {
    const { hono } = app([-3])
    const badJson = await hono.request('/digits', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect([badJson.status, (await badJson.json<{ error: { code: string } }>()).error.code]).toStrictEqual([400, 'invalid_json'])
    const withOptions = await hono.request('/digits', json({ inputs: [row], samples: 4 }))
    expect(withOptions.status).toBe(400)
    const text = await hono.request('/digits', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })
    expect(text.status).toBe(415)
  })

  it('takes a custom input reader', async () => {
    const model = fakeModel([-2], fakeInfo({ input: { shape: [2], kind: 'vector', image: null }, inputSize: 2 }))
    const hono = new Hono()
    hono.get('/q', oodGuard({ model, input: (c) => [[Number(c.req.query('a')), Number(c.req.query('b'))]] }), (c) => c.text(String(c.var.oodGuard.predictions.length)))
    const response = await hono.request('/q?a=1&b=2')
    expect([response.status, await response.text()]).toStrictEqual([200, '1'])
    expect(model.calls[0]?.input).toStrictEqual([[1, 2]])
  })
})
