import { loadModel, type ModelInput, type PredictOptions, type Prediction, type SdModel } from '@sd-dropout/sdk'
import { Hono } from 'hono'
import { afterAll, describe, expect, it } from 'vitest'
import { loadTestModel, sdkTestModel, vectorTestBundle } from '../../testing/test-models.js'
import { oodGuard } from './index.js'

// The real SDK test model: of testInputs(20, 5), items 0 and 1 score above its mutual-information
// threshold (0.05) at the bundle's S = 16, items 3 and 7 below.
const model = await loadTestModel()
afterAll(() => model.dispose())
const inputs = (await sdkTestModel()).testInputs(20, 5)
const rows = (indices: number[]) => indices.map((i) => Array.from(inputs.subarray(i * 64, (i + 1) * 64)))
const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const defaults = { samples: 16, seed: 0, oodScore: 'mutual-information' } as const

function app(options: PredictOptions = {}) {
  const hono = new Hono()
  hono.post('/digits', oodGuard({ model: () => model, predictOptions: options }), (c) =>
    c.json({ predictions: c.var.oodGuard.predictions, options: c.var.oodGuard.options, input: c.var.oodGuard.input }),
  )
  return hono
}

describe('oodGuard', () => {
  it('lets an in-distribution batch through with the model predictions and the resolved options', async () => {
    const batch = rows([3, 7])
    const response = await app({ samples: 32 }).request('/digits', json({ inputs: batch }))
    expect(response.status).toBe(200)
    const options = { ...defaults, samples: 32 }
    expect(await response.json()).toStrictEqual({ predictions: await model.predict(batch, options), options, input: batch })
  })

  it('answers 422 out_of_distribution listing the rejected items and their scores, without running the handler', async () => {
    const batch = rows([3, 0, 1])
    const expected: Prediction[] = await model.predict(batch, defaults)
    expect(expected.map((p) => p.ood.isOutOfDistribution)).toStrictEqual([false, true, true])
    const response = await app().request('/digits', json({ inputs: batch }))
    expect(response.status).toBe(422)
    expect(await response.json()).toStrictEqual({
      error: {
        code: 'out_of_distribution',
        message: '2 of 3 items are out of distribution for test-model (mutual-information above its threshold)',
        details: { rejected: [1, 2], scores: [expected[1]?.ood.score, expected[2]?.ood.score], threshold: 0.05, oodScore: 'mutual-information' },
      },
    })
  })

  it('answers bad input with the JSON 4xx of the catalogue, even in an app without onError', async () => {
    const badJson = await app().request('/digits', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect([badJson.status, (await badJson.json<{ error: { code: string } }>()).error.code]).toStrictEqual([400, 'invalid_json'])
    const withOptions = await app().request('/digits', json({ inputs: rows([3]), samples: 4 }))
    expect([withOptions.status, (await withOptions.json<{ error: { code: string } }>()).error.code]).toStrictEqual([400, 'invalid_request'])
    const text = await app().request('/digits', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'x' })
    expect(text.status).toBe(415)
    const short = await app().request('/digits', json({ inputs: [[1, 2]] }))
    expect([short.status, (await short.json<{ error: { code: string } }>()).error.code]).toStrictEqual([400, 'shape_error'])
  })

  it('takes a custom input reader, here on a real vector-input model', async () => {
    const vector: SdModel = await loadModel(await vectorTestBundle())
    try {
      const hono = new Hono()
      const read = (item: string | undefined): ModelInput => [Array.from(inputs.subarray(Number(item) * 64, (Number(item) + 1) * 64))]
      hono.get('/q', oodGuard({ model: vector, input: (c) => read(c.req.query('item')) }), (c) => c.json(c.var.oodGuard.predictions))
      const response = await hono.request('/q?item=7')
      expect(response.status).toBe(200)
      const predictions = await response.json<Prediction[]>()
      expect(predictions).toStrictEqual(await vector.predict(read('7')))
      // same weights behind a vector input: the same numbers as the image model
      expect(predictions).toStrictEqual(await model.predict(read('7')))
      expect((await hono.request('/q?item=0')).status).toBe(422)
    } finally {
      vector.dispose()
    }
  })
})
