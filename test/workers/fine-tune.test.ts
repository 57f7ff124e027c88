import { loadModel, readBundle, sha256Hex, type FineTuneOptions, type FineTuneResult, type SdModel } from '@sd-dropout/sdk'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fineTuneResponseSchema, modelDetailSchema, predictResponseSchema } from '../../workers/src/schemas/responses.js'
import { testBundle, testInputs } from '../../sdk/src/model/test-model.js'
import { expectClose, fineTuneForm, grayPng, json, rows, type FineTuneParts } from './fixtures.js'
import { startLocalWorker, type LocalWorker, type StoredObject } from './local-worker.js'

// Fine-tuning at the edge in real workerd (the built worker, production settings) with Miniflare's
// local R2 as MODEL_BUCKET: the worker fine-tunes the built-in test model on labelled examples,
// writes the new bundle to R2 and then serves it by name. The same fine-tuning in Node (the SDK's
// Node entry, same options) gives the numbers the worker must answer.

const TOKEN = 'fine-tune-token-0123456789'
const auth = { authorization: `Bearer ${TOKEN}` }
const LABELS = ['cat', 'dog', 'eel'] as const
let worker: LocalWorker
let parent: SdModel
let stored: Record<string, StoredObject | null> | null = null

/** 90 examples labelled with the class AFTER the parent's prediction: a shift the head can learn (it is a permutation). */
const inputs = testInputs(90, 11)
let labels: string[] = []
const options = { epochs: 30, seed: 5, learningRate: 0.05, name: 'test-model-permuted', dataName: 'permuted labels' } satisfies FineTuneOptions
let expected: FineTuneResult

const fineTune = (model: string, parts: FineTuneParts, headers: Record<string, string> = auth) =>
  worker.fetch(`/v1/models/${model}/fine-tune`, { method: 'POST', headers, body: fineTuneForm(parts) })

async function errorOf(response: Response): Promise<[number, string]> {
  const body = (await json(response)) as { error: { code: string } }
  return [response.status, body.error.code]
}

beforeAll(async () => {
  const bundle = await testBundle()
  ;[worker, parent] = await Promise.all([
    startLocalWorker({ name: 'fine-tune', bundle, secrets: { API_TOKEN: TOKEN }, vars: { MAX_FINE_TUNE_EXAMPLES: '200', MAX_FINE_TUNE_EPOCHS: '50' }, r2Objects: {} }),
    loadModel(bundle),
  ])
  labels = (await parent.predict(inputs, { samples: 0, oodScore: 'energy' })).map((p) => LABELS[(p.classIndex + 1) % 3] as string)
  expected = await parent.fineTune(inputs, labels, options)
})
afterAll(async () => {
  if (stored === null) await worker?.dispose()
  parent?.dispose()
})

describe('POST /v1/models/:name/fine-tune in workerd', () => {
  it('fine-tunes the built-in model on float32 examples with the same numbers as the SDK in Node, and answers 201', async () => {
    const response = await fineTune('test-model', { labels, options, inputs })
    expect(response.status).toBe(201)
    expect(response.headers.get('location')).toBe('/v1/models/test-model-permuted')
    const body = v.parse(fineTuneResponseSchema, await json(response))
    expect(body.model.name).toBe('test-model-permuted')
    expect(body.model.id).toMatch(/^test-model-permuted-\d{8}T\d{6}Z-[0-9a-f]{8}$/)
    expect(body.parent).toStrictEqual({ name: 'test-model', id: parent.info.id, sha256: parent.info.sha256 })
    expect([body.r2Key, body.labels, body.split, body.kernel]).toStrictEqual(['fine-tuned/test-model-permuted.sdd', [...LABELS], expected.split, 'wasm-simd'])
    expect(body.bytes).toBe(expected.bundle.length)
    expectClose(body.history, expected.history)
    expectClose(body.metrics, expected.metrics)
    // the permutation is learnt: the parent is wrong on the held-out part, the new model mostly right
    expect(expected.metrics.before?.accuracy).toBeLessThan(0.2)
    expect(expected.metrics.after.accuracy).toBeGreaterThan(0.8)
  })

  it('serves the new model by name: predictions as the Node fine-tuned bundle, provenance naming the parent', async () => {
    const child = await loadModel(expected.bundle)
    try {
      const batch = testInputs(6, 21)
      const response = await worker.fetch('/v1/models/test-model-permuted/predict?samples=32&seed=3', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows(batch, 64) }) })
      expect(response.status).toBe(200)
      const body = v.parse(predictResponseSchema, await json(response))
      expect(body.model.name).toBe('test-model-permuted')
      expectClose(body.predictions, await child.predict(batch, { samples: 32, seed: 3 }))
      const detail = v.parse(modelDetailSchema, await json(await worker.fetch('/v1/models/test-model-permuted', { headers: auth })))
      expect([detail.source, detail.default, detail.signatureVerified, detail.id]).toStrictEqual(['fine-tuned', false, false, body.model.id])
      expect(detail.provenance).toMatchObject({ parentId: parent.info.id, command: 'SdModel.fineTune', data: { name: 'permuted labels', items: 90 }, hyperParameters: { parentSha256: parent.info.sha256, epochs: 30, seed: 5, calibrationObjective: 'brier' } })
      expectClose(detail.calibration, child.info.calibration)
    } finally {
      child.dispose()
    }
  })

  it('fine-tunes from PNG image parts under a default name, and fine-tunes a fine-tuned model again', async () => {
    const pngs = Array.from({ length: 12 }, (_, i) => grayPng(inputs.subarray(i * 64, (i + 1) * 64), 8, 8))
    const imageOptions = { epochs: 5, validationFraction: 0.5, seed: 2 }
    const response = await fineTune('test-model', { labels: labels.slice(0, 12), options: imageOptions, images: pngs })
    expect(response.status).toBe(201)
    const body = v.parse(fineTuneResponseSchema, await json(response))
    expect(body.model.name).toMatch(/^test-model-ft-[0-9a-f]{8}$/)
    const inNode = await parent.fineTune(pngs, labels.slice(0, 12), { ...imageOptions, name: body.model.name })
    expect(body.split).toStrictEqual(inNode.split)
    expectClose(body.history, inNode.history)
    expectClose(body.metrics, inNode.metrics)

    const again = await fineTune('test-model-permuted', { labels: labels.slice(0, 30), options: { epochs: 2, name: 'test-model-permuted-2' }, inputs: inputs.subarray(0, 30 * 64) })
    expect(again.status).toBe(201)
    const chained = v.parse(fineTuneResponseSchema, await json(again))
    expect(chained.parent.name).toBe('test-model-permuted')
    const detail = v.parse(modelDetailSchema, await json(await worker.fetch('/v1/models/test-model-permuted-2', { headers: auth })))
    expect(detail.provenance.parentId).toBe(chained.parent.id)
  })

  it('refuses bad fine-tuning requests with the catalogue codes, and writes nothing for them', async () => {
    const few = { labels: labels.slice(0, 10), inputs: inputs.subarray(0, 640) }
    const cases: [string, Promise<Response>, number, string][] = [
      ['no token', fineTune('test-model', few, {}), 401, 'unauthorized'],
      ['unknown parent', fineTune('nope', few), 404, 'model_not_found'],
      ['a name that exists in R2', fineTune('test-model', { ...few, options: { name: 'test-model-permuted' } }), 409, 'model_exists'],
      ['the built-in name', fineTune('test-model', { ...few, options: { name: 'test-model' } }), 409, 'model_exists'],
      ['more labels than examples', fineTune('test-model', { labels: labels.slice(0, 11), inputs: few.inputs }), 400, 'shape_error'],
      ['a label the model lacks', fineTune('test-model', { ...few, labels: ['fox', ...few.labels.slice(1)] }), 400, 'input_error'],
      ['NaN in an example', fineTune('test-model', { ...few, inputs: Float32Array.from(few.inputs, (x, i) => (i === 70 ? Number.NaN : x)) }), 400, 'input_error'],
      ['epochs over MAX_FINE_TUNE_EPOCHS', fineTune('test-model', { ...few, options: { epochs: 51 } }), 400, 'option_error'],
      ['momentum with adam', fineTune('test-model', { ...few, options: { momentum: 0.5 } }), 400, 'option_error'],
      ['an unknown option', fineTune('test-model', { ...few, options: { kernel: 'typescript' } }), 400, 'invalid_request'],
      ['an unknown calibration objective', fineTune('test-model', { ...few, options: { calibrationObjective: 'ece' } }), 400, 'invalid_request'],
      ['labels that are not JSON', fineTune('test-model', { ...few, labels: '[cat, dog' }), 400, 'invalid_json'],
      ['no examples part', fineTune('test-model', { labels: few.labels }), 400, 'invalid_request'],
      ['examples over MAX_FINE_TUNE_EXAMPLES', fineTune('test-model', { labels: Array(201).fill('cat'), inputs: testInputs(201, 1) }), 413, 'batch_too_large'],
      ['a JSON body', worker.fetch('/v1/models/test-model/fine-tune', { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{}' }), 415, 'unsupported_media_type'],
      ['a diverging learning rate', fineTune('test-model', { ...few, options: { optimizer: 'sgd', learningRate: 1e30, name: 'diverged' } }), 422, 'divergence_error'],
      ['GET', worker.fetch('/v1/models/test-model/fine-tune', { headers: auth }), 405, 'method_not_allowed'],
    ]
    for (const [kind, response, status, code] of cases) expect(await errorOf(await response), kind).toStrictEqual([status, code])
    expect(await errorOf(await worker.fetch('/v1/models/diverged', { headers: auth }))).toStrictEqual([404, 'model_not_found'])
  })

  it('stored the bundle it answered with in R2, create-only, with its metadata', async () => {
    const created = v.parse(modelDetailSchema, await json(await worker.fetch('/v1/models/test-model-permuted', { headers: auth })))
    stored = await worker.disposeReadingBucket(['fine-tuned/test-model-permuted.sdd', 'fine-tuned/diverged.sdd'])
    const object = stored['fine-tuned/test-model-permuted.sdd']
    expect(stored['fine-tuned/diverged.sdd']).toBeNull()
    expect(object).not.toBeNull()
    const bytes = (object as StoredObject).bytes
    expect(await sha256Hex(bytes)).toBe(created.sha256)
    expect((object as StoredObject).customMetadata).toStrictEqual({ id: created.id, parentId: parent.info.id, parentName: 'test-model', sha256: created.sha256 })
    expect((object as StoredObject).contentType).toBe('application/octet-stream')
    expect((await readBundle(bytes)).manifest.provenance.parentId).toBe(parent.info.id)
  })
})
