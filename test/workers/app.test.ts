import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateSigningKeyPair, loadModel, type SdModel } from '@sd-dropout/sdk'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { createApp } from '../../workers/src/app.js'
import { ERROR_CATALOGUE, ERROR_CODES } from '../../workers/src/error-catalogue.js'
import { testBundle, testInputs } from '../../sdk/src/model/test-model.js'
import { fineTuneForm, float32Base64, grayPng, imageForm, json, rows } from './fixtures.js'
import { openLocalBucket, REPO_ROOT } from './local-worker.js'

// In-process route logic: the app on Node (the SDK's Node entry), requests through app.request.
// The same app runs in real workerd in the other files of this folder.

let app: ReturnType<typeof createApp>
let model: SdModel
const inputs = testInputs(20, 5) // items 0 and 1 score above the MI threshold, 3 and 7 below
const pick = (indices: number[]) => Float32Array.from(indices.flatMap((i) => Array.from(inputs.subarray(i * 64, (i + 1) * 64))))
const post = (path: string, body: BodyInit, headers: Record<string, string>, env: object = {}) => app.request(path, { method: 'POST', body, headers }, env)
const postJson = (path: string, body: unknown, env: object = {}) => post(path, JSON.stringify(body), { 'content-type': 'application/json' }, env)

beforeAll(async () => {
  const bundle = await testBundle()
  app = createApp({ defaultBundle: bundle, loadModel })
  model = await loadModel(bundle)
})

describe('the app in-process', () => {
  it('predicts JSON rows exactly like the SDK, with the model reference and resolved options', async () => {
    const batch = pick([3, 0])
    const body = await json(await postJson('/v1/predict', { inputs: rows(batch, 64), samples: 32, seed: 7 }))
    expect(body).toStrictEqual({
      model: { name: 'test-model', id: model.info.id, sha256: model.info.sha256 },
      options: { samples: 32, seed: 7, oodScore: 'mutual-information' },
      predictions: await model.predict(batch, { samples: 32, seed: 7 }),
    })
  })

  it('gives the same predictions for a tensor, raw float32, and the named route', async () => {
    const batch = pick([7])
    const expected = await model.predict(batch)
    const tensor = await json(await postJson('/v1/models/test-model/predict', { tensor: { shape: [1, 8, 8, 1], data: float32Base64(batch) } }))
    const raw = await json(await post('/v1/predict', batch, { 'content-type': 'application/octet-stream', 'x-shape': '1,64' }))
    expect(tensor.predictions).toStrictEqual(expected)
    expect(raw.predictions).toStrictEqual(expected)
  })

  it('decodes one PNG and a multipart batch of PNGs with the SDK image path', async () => {
    const first = grayPng(inputs.subarray(0, 64), 8, 8)
    const second = grayPng(inputs.subarray(64, 128), 8, 8)
    const one = await json(await post('/v1/predict?samples=16', first, { 'content-type': 'image/png' }))
    expect(one.predictions).toStrictEqual(await model.predict(first, { samples: 16 }))
    const form = new Request('http://x/', { method: 'POST', body: imageForm([first, second]) })
    const many = await json(await post('/v1/predict', await form.arrayBuffer(), { 'content-type': form.headers.get('content-type') ?? '' }))
    expect(many.predictions).toStrictEqual(await model.predict([first, second]))
  })

  it('filters a batch into accepted and rejected items, and refuses it with ?strict=1', async () => {
    const batch = pick([3, 0, 7, 1])
    const predictions = await model.predict(batch)
    const body = await json(await postJson('/v1/filter', { inputs: rows(batch, 64) }))
    expect(body.accepted).toStrictEqual([
      { index: 0, prediction: predictions[0] },
      { index: 2, prediction: predictions[2] },
    ])
    expect(body.rejected).toStrictEqual([1, 3].map((index) => ({ index, score: predictions[index]?.ood.score, threshold: 0.05, method: 'mutual-information' })))
    const strict = await postJson('/v1/models/test-model/filter?strict=1', { inputs: rows(batch, 64) })
    expect(strict.status).toBe(422)
    expect(((await json(strict)).error as { code: string; details: { rejected: number[] } }).details.rejected).toStrictEqual([1, 3])
    expect((await postJson('/v1/filter?strict=1', { inputs: rows(pick([3, 7]), 64) })).status).toBe(200)
    const unfitted = await postJson('/v1/filter?oodScore=entropy', { inputs: rows(pick([3]), 64) })
    expect([unfitted.status, ((await json(unfitted)).error as { code: string }).code]).toStrictEqual([422, 'not_fitted_error'])
  })

  it('lists the models and gives one model in detail', async () => {
    const list = await json(await app.request('/v1/models'))
    expect(list.default).toBe('test-model')
    expect(list.models).toStrictEqual([
      expect.objectContaining({ name: 'test-model', source: 'built-in', default: true, labels: ['cat', 'dog', 'eel'], input: model.info.input }),
    ])
    const detail = await json(await app.request('/v1/models/test-model'))
    expect(detail.ood).toStrictEqual(model.info.ood)
    expect(detail.calibration).toStrictEqual({ temperature: 1.5, atBound: null, fittedOn: 90 })
    expect(detail.runtime).toStrictEqual({ backbone: model.runtime.backbone, head: model.runtime.head })
  })

  it('serves health and the OpenAPI document without a token, and guards /v1 with one', async () => {
    const env = { API_TOKEN: 'tok' }
    expect(await json(await app.request('/healthz', {}, env))).toStrictEqual({ status: 'ok' })
    expect((await json(await app.request('/openapi.json', {}, env))).openapi).toBe('3.1.0')
    expect((await app.request('/v1/models', {}, env)).status).toBe(401)
    expect((await app.request('/v1/models', { headers: { authorization: 'Bearer tok' } }, env)).status).toBe(200)
  })

  it('refuses an unsigned built-in bundle with 503 when a public key is configured', async () => {
    const fresh = createApp({ defaultBundle: await testBundle(), loadModel })
    const env = { MODEL_PUBLIC_KEY: (await generateSigningKeyPair()).publicKey }
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = await fresh.request('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows(pick([3]), 64) }) }, env)
    expect(response.status).toBe(503)
    expect((await json(response)).error).toStrictEqual({
      code: 'model_unavailable',
      message: 'model default cannot be loaded: the bundle is unsigned, but a signature is required',
      details: { model: 'default', cause: 'signature_error' },
    })
    expect(log).toHaveBeenCalledTimes(1)
    log.mockRestore()
    expect((await fresh.request('/healthz', {}, env)).status).toBe(200)
  })

  it('answers a wrong method with 405 and an Allow header, and option conflicts with 400', async () => {
    const wrongMethod = await app.request('/v1/predict')
    expect([wrongMethod.status, wrongMethod.headers.get('allow'), ((await json(wrongMethod)).error as { code: string }).code]).toStrictEqual([405, 'POST', 'method_not_allowed'])
    const both = await postJson('/v1/predict?samples=4', { inputs: rows(pick([3]), 64), samples: 8 })
    expect([both.status, ((await json(both)).error as { message: string }).message]).toStrictEqual([400, 'samples given in both the query and the body; give each option once'])
    const mc = await postJson('/v1/predict?samples=1', { inputs: rows(pick([3]), 64) })
    expect([mc.status, ((await json(mc)).error as { code: string }).code]).toStrictEqual([400, 'option_error'])
  })
})

describe('fine-tuning in-process (Node SDK entry, Miniflare R2 through a platform proxy)', () => {
  it('is off without a token or a bucket, saying which: 403 fine_tuning_disabled', async () => {
    const body = fineTuneForm({ labels: ['cat'], inputs: pick([3]) })
    const off = await app.request('/v1/models/test-model/fine-tune', { method: 'POST', body })
    expect([off.status, (await json(off)).error]).toStrictEqual([
      403,
      { code: 'fine_tuning_disabled', message: 'fine-tuning is disabled on this deployment: no API_TOKEN secret; no MODEL_BUCKET R2 binding', details: { missing: ['API_TOKEN', 'MODEL_BUCKET'] } },
    ])
  })

  it('fine-tunes into R2 and serves the new model by name, its provenance naming the parent', async () => {
    const local = await openLocalBucket('app-fine-tune')
    try {
      const env = { API_TOKEN: 'tok', MODEL_BUCKET: local.bucket }
      const headers = { authorization: 'Bearer tok' }
      const labels = ['cat', 'dog', 'eel', 'cat', 'dog', 'eel', 'cat', 'dog', 'eel', 'cat', 'dog', 'eel']
      const examples = pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
      const options = { epochs: 3, validationFraction: 0.5, name: 'in-process' }
      const created = await app.request('/v1/models/test-model/fine-tune', { method: 'POST', headers, body: fineTuneForm({ labels, options, inputs: examples }) }, env)
      expect(created.status).toBe(201)
      const body = (await json(created)) as { model: { name: string; id: string; sha256: string }; r2Key: string; history: unknown[] }
      const expected = await model.fineTune(examples, labels, options)
      expect([body.model.name, body.r2Key, body.history]).toStrictEqual(['in-process', 'fine-tuned/in-process.sdd', expected.history])
      const predicted = await json(await app.request('/v1/models/in-process/predict', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows(pick([3]), 64) }) }, env))
      const child = await loadModel(expected.bundle)
      expect([predicted.model, predicted.predictions]).toStrictEqual([body.model, await child.predict(pick([3]))])
      child.dispose()
      const detail = await json(await app.request('/v1/models/in-process', { headers }, env))
      expect([detail.source, (detail.provenance as { parentId: string }).parentId]).toStrictEqual(['fine-tuned', model.info.id])
      const again = await app.request('/v1/models/test-model/fine-tune', { method: 'POST', headers, body: fineTuneForm({ labels, options, inputs: examples }) }, env)
      expect([again.status, ((await json(again)).error as { code: string }).code]).toStrictEqual([409, 'model_exists'])
    } finally {
      await local.dispose()
    }
  })
})

describe('docs/http.md', () => {
  it('lists every error code of the catalogue with its status, and nothing else', () => {
    const docs = readFileSync(join(REPO_ROOT, 'docs/http.md'), 'utf8')
    const table = [...docs.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])])
    expect(table).toStrictEqual(ERROR_CODES.map((code) => [code, ERROR_CATALOGUE[code].status]))
  })
})
