import { loadModel, type SdModel } from '@sd-dropout/sdk'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { filterResponseSchema, modelDetailSchema, modelListSchema, predictResponseSchema } from '../../workers/src/schemas/responses.js'
import { testBundle, testInputs } from '../../sdk/src/model/test-model.js'
import { expectClose, float32Base64, grayJpeg, grayPng, imageForm, json, rows } from './fixtures.js'
import { startLocalWorker, type LocalWorker } from './local-worker.js'

// The BUILT worker in real workerd (wrangler's bundler, wrangler.toml: production compatibility
// date, nodejs_compat off, minified) against the SDK in Node on the same bundle: every body kind
// must give the same numbers within 1e-5 + 1e-5 |v| (the Node vs workerd parity of the SDK).

let worker: LocalWorker
let model: SdModel
const inputs = testInputs(20, 5) // items 0 and 1 score above the MI threshold, 3 and 7 below
const batch = inputs.subarray(0, 6 * 64)
const pngs = [0, 1, 2].map((i) => grayPng(inputs.subarray(i * 64, (i + 1) * 64), 8, 8))
const options = { samples: 32, seed: 7 }
let largest = 0

const postJson = (path: string, body: unknown) => worker.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function predictions(response: Response): Promise<unknown> {
  expect(response.status).toBe(200)
  const body = v.parse(predictResponseSchema, await json(response))
  expect(body.model).toStrictEqual({ name: 'test-model', id: model.info.id, sha256: model.info.sha256 })
  return body.predictions
}

beforeAll(async () => {
  const bundle = await testBundle()
  ;[worker, model] = await Promise.all([startLocalWorker({ name: 'parity', bundle, vars: { CORS_ORIGINS: 'https://app.example.com' } }), loadModel(bundle)])
})
afterAll(async () => {
  await worker?.dispose()
  model?.dispose()
})

describe('workerd vs the SDK in Node, same bundle', () => {
  it('answers 16 concurrent requests on a cold isolate from one shared model load', async () => {
    const expected = await model.predict(inputs.subarray(0, 64), options)
    const responses = await Promise.all(Array.from({ length: 16 }, () => postJson('/v1/predict', { inputs: rows(inputs.subarray(0, 64), 64), ...options })))
    for (const response of responses) largest = Math.max(largest, expectClose(await predictions(response), expected))
  })

  it('JSON rows', async () => {
    const expected = await model.predict(batch, options)
    largest = Math.max(largest, expectClose(await predictions(await postJson('/v1/predict', { inputs: rows(batch, 64), ...options })), expected))
    const defaults = await model.predict(batch)
    largest = Math.max(largest, expectClose(await predictions(await postJson('/v1/predict', { inputs: rows(batch, 64) })), defaults))
  })

  it('a base64 float32 tensor', async () => {
    const body = { tensor: { shape: [6, 8, 8, 1], data: float32Base64(batch.slice()) }, ...options }
    largest = Math.max(largest, expectClose(await predictions(await postJson('/v1/models/test-model/predict', body)), await model.predict(batch, options)))
  })

  it('raw little-endian float32 with x-shape, deterministic (samples=0) too', async () => {
    for (const samples of [32, 0]) {
      const response = await worker.fetch(`/v1/predict?samples=${samples}&seed=7&oodScore=energy`, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'x-shape': '6,64' },
        body: batch.slice(),
      })
      largest = Math.max(largest, expectClose(await predictions(response), await model.predict(batch, { samples, seed: 7, oodScore: 'energy' })))
    }
  })

  it('one PNG, one JPEG, and a multipart batch of PNGs', async () => {
    const png = await worker.fetch('/v1/predict?samples=32&seed=7', { method: 'POST', headers: { 'content-type': 'image/png' }, body: pngs[0] as Uint8Array<ArrayBuffer> })
    largest = Math.max(largest, expectClose(await predictions(png), await model.predict(pngs[0] as Uint8Array, options)))
    const jpegBytes = grayJpeg(inputs.subarray(64, 128), 8, 8)
    const jpeg = await worker.fetch('/v1/predict', { method: 'POST', headers: { 'content-type': 'image/jpeg' }, body: jpegBytes })
    largest = Math.max(largest, expectClose(await predictions(jpeg), await model.predict(jpegBytes)))
    const multipart = await worker.fetch('/v1/predict?samples=32&seed=7', { method: 'POST', body: imageForm(pngs) })
    largest = Math.max(largest, expectClose(await predictions(multipart), await model.predict(pngs, options)))
  })

  it('the filter split, with the mahalanobis score', async () => {
    for (const oodScore of ['mutual-information', 'mahalanobis'] as const) {
      const expected = await model.predict(batch, { ...options, oodScore })
      const response = await postJson(`/v1/filter?oodScore=${oodScore}`, { inputs: rows(batch, 64), ...options })
      const body = v.parse(filterResponseSchema, await json(response))
      expect(body.accepted.map((item) => item.index)).toStrictEqual(expected.flatMap((p, i) => (p.ood.isOutOfDistribution ? [] : [i])))
      expect(body.rejected.map((item) => item.index)).toStrictEqual(expected.flatMap((p, i) => (p.ood.isOutOfDistribution ? [i] : [])))
      largest = Math.max(largest, expectClose(body.accepted.map((item) => item.prediction), expected.filter((p) => !p.ood.isOutOfDistribution)))
    }
    console.log(`largest |workerd - node| over all parity checks: ${largest.toExponential(2)}`)
  })
})

describe('the other routes in workerd', () => {
  it('lists the model and its metadata, and runs the wasm SIMD kernels', async () => {
    const list = v.parse(modelListSchema, await json(await worker.fetch('/v1/models')))
    expect(list.default).toBe('test-model')
    const detail = v.parse(modelDetailSchema, await json(await worker.fetch('/v1/models/test-model')))
    expect(detail.runtime).toStrictEqual({ backbone: 'wasm-simd', head: 'wasm-simd' })
    expect(detail.ood.thresholds).toStrictEqual(model.info.ood.thresholds)
    expect(detail.labels).toStrictEqual(['cat', 'dog', 'eel'])
  })

  it('serves /healthz and /openapi.json, echoes request ids and applies CORS', async () => {
    const health = await worker.fetch('/healthz', { headers: { 'x-request-id': 'req-123' } })
    expect([health.status, health.headers.get('x-request-id'), await health.json()]).toStrictEqual([200, 'req-123', { status: 'ok' }])
    const openapi = await json(await worker.fetch('/openapi.json'))
    expect(Object.keys(openapi.paths as object)).toContain('/v1/models/{name}/filter')
    const generated = await worker.fetch('/v1/models', { headers: { 'x-request-id': 'bad id!' } })
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    const preflight = await worker.fetch('/v1/predict', { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } })
    expect([preflight.status, preflight.headers.get('access-control-allow-origin')]).toStrictEqual([204, 'https://app.example.com'])
    const foreign = await worker.fetch('/healthz', { headers: { origin: 'https://other.example.com' } })
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
  })
})
