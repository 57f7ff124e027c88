import { loadModel, sha256Hex, type SdModel } from '@sd-dropout/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.js'
import { sdkTestModel } from '../testing/test-models.js'
import { ifNoneMatchHits } from './bundle.js'

// The route in-process (the app on Node, the SDK's Node entry); test/playground runs it in workerd
// and loads what it serves in a browser.
const { testBundle, testInputs } = await sdkTestModel()
const bundle = await testBundle()
const sha256 = await sha256Hex(bundle)
let app: ReturnType<typeof createApp>
const models: SdModel[] = []

beforeAll(() => {
  app = createApp({ defaultBundle: bundle, loadModel })
})
afterAll(() => models.forEach((model) => model.dispose()))

const get = (path: string, headers: Record<string, string> = {}, env: object = {}) => app.request(path, { headers }, env)

describe('GET /v1/models/:name/bundle', () => {
  it('answers the bundle file the worker loaded, its SHA-256 as a strong ETag', async () => {
    const response = await get('/v1/models/test-model/bundle')
    expect(response.status).toBe(200)
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect(bytes).toStrictEqual(bundle)
    expect(Object.fromEntries(['etag', 'content-type', 'cache-control', 'content-disposition'].map((name) => [name, response.headers.get(name)]))).toStrictEqual({
      etag: `"${sha256}"`,
      'content-type': 'application/octet-stream',
      'cache-control': 'no-cache',
      'content-disposition': 'attachment; filename="test-model.sdd"',
    })
  })

  it('serves a bundle that predicts exactly like the worker', async () => {
    const model = await loadModel(new Uint8Array(await (await get('/v1/models/test-model/bundle')).arrayBuffer()))
    models.push(model)
    expect(model.info.sha256).toBe(sha256)
    const inputs = testInputs(3, 5)
    const response = await app.request('/v1/predict?samples=16&seed=3', { method: 'POST', headers: { 'content-type': 'application/octet-stream', 'x-shape': '3,64' }, body: inputs.slice() })
    const body = await response.json<{ predictions: unknown }>()
    expect(body.predictions).toStrictEqual(await model.predict(inputs, { samples: 16, seed: 3 }))
  })

  it('answers 304 without a body to If-None-Match holding the current ETag (weak or strong, or *)', async () => {
    for (const header of [`"${sha256}"`, `W/"${sha256}"`, `"0000", "${sha256}"`, '*']) {
      const response = await get('/v1/models/test-model/bundle', { 'if-none-match': header })
      expect([response.status, response.headers.get('etag'), (await response.arrayBuffer()).byteLength]).toStrictEqual([304, `"${sha256}"`, 0])
    }
    const stale = await get('/v1/models/test-model/bundle', { 'if-none-match': '"0000"' })
    expect([stale.status, (await stale.arrayBuffer()).byteLength]).toStrictEqual([200, bundle.byteLength])
  })

  it('answers unknown models with 404 model_not_found and needs the token when one is set', async () => {
    const missing = await get('/v1/models/nope/bundle')
    expect([missing.status, (await missing.json<{ error: { code: string } }>()).error.code]).toStrictEqual([404, 'model_not_found'])
    const env = { API_TOKEN: 'secret-token' }
    expect((await get('/v1/models/test-model/bundle', {}, env)).status).toBe(401)
    expect((await get('/v1/models/test-model/bundle', { authorization: 'Bearer secret-token' }, env)).status).toBe(200)
  })
})

describe('ifNoneMatchHits', () => {
  it('compares entity tags weakly, in lists, and matches *', () => {
    expect(ifNoneMatchHits('"a"', '"a"')).toBe(true)
    expect(ifNoneMatchHits('W/"a"', '"a"')).toBe(true)
    expect(ifNoneMatchHits(' "b" , "a" ', '"a"')).toBe(true)
    expect(ifNoneMatchHits('*', '"a"')).toBe(true)
    expect(ifNoneMatchHits('"b"', '"a"')).toBe(false)
    expect(ifNoneMatchHits('a', '"a"')).toBe(false)
    expect(ifNoneMatchHits('', '"a"')).toBe(false)
    expect(ifNoneMatchHits(undefined, '"a"')).toBe(false)
  })
})
