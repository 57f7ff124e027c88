import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_CODES, type ErrorCode } from '../../workers/src/error-catalogue.js'
import { testBundle, testInputs } from '../../sdk/src/model/test-model.js'
import { fineTuneForm, float32Base64, grayPng, imageForm, rows } from './fixtures.js'
import { fuzzRequests } from './fuzz-bodies.js'
import { startLocalWorker, type LocalWorker } from './local-worker.js'

// Bad requests against the BUILT worker in real workerd, with auth on and small limits: each kind
// must get its 4xx and a JSON error from the catalogue (and a request id); then a fuzz test of
// random bodies must give no 5xx and leave the worker up.

const TOKEN = 'test-token-0123456789'
const LIMITS = { MAX_BATCH: '4', MAX_BODY_BYTES: '65536', MAX_PIXELS: '4096' }
let worker: LocalWorker
const good = testInputs(4, 5)
const row = Array.from(good.subarray(0, 64))
const png = grayPng(good.subarray(0, 64), 8, 8)

beforeAll(async () => {
  worker = await startLocalWorker({ name: 'bad-requests', bundle: await testBundle(), vars: LIMITS, secrets: { API_TOKEN: TOKEN } })
})
afterAll(async () => worker?.dispose())

interface BadRequest {
  readonly kind: string
  readonly path?: string
  readonly method?: string
  readonly headers?: Record<string, string>
  readonly body?: BodyInit
  readonly auth?: string | null
  readonly status: number
  readonly code: ErrorCode
}

const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
const octet = (shape: string | null, body: BodyInit) => ({ headers: { 'content-type': 'application/octet-stream', ...(shape === null ? {} : { 'x-shape': shape }) }, body })
const image = (type: string, body: Uint8Array<ArrayBuffer>) => ({ headers: { 'content-type': type }, body })

/** A PNG header claiming `width` x `height` pixels (then garbage): refused before decoding. */
function hugePng(width: number, height: number): Uint8Array<ArrayBuffer> {
  const bytes = png.slice(0, 64)
  new DataView(bytes.buffer).setUint32(16, width)
  new DataView(bytes.buffer).setUint32(20, height)
  return bytes
}

function slowBody(chunks: number, size: number): ReadableStream<Uint8Array> {
  let sent = 0
  return new ReadableStream({
    pull(controller) {
      if (sent++ === chunks) controller.close()
      else controller.enqueue(new Uint8Array(size).fill(0x20))
    },
  })
}

const CASES: BadRequest[] = [
  { kind: 'missing token', auth: null, ...json({ inputs: [row] }), status: 401, code: 'unauthorized' },
  { kind: 'wrong token', auth: 'Bearer wrong-token', ...json({ inputs: [row] }), status: 401, code: 'unauthorized' },
  { kind: 'not a bearer token', auth: `Basic ${btoa(`user:${TOKEN}`)}`, ...json({ inputs: [row] }), status: 401, code: 'unauthorized' },
  { kind: 'unknown route', path: '/v2/predict', ...json({ inputs: [row] }), status: 404, code: 'not_found' },
  { kind: 'unknown model', path: '/v1/models/nope/predict', ...json({ inputs: [row] }), status: 404, code: 'model_not_found' },
  { kind: 'model name with path characters', path: '/v1/models/..%2Fsecrets/predict', ...json({ inputs: [row] }), status: 404, code: 'model_not_found' },
  { kind: 'wrong method', method: 'GET', status: 405, code: 'method_not_allowed' },
  { kind: 'malformed JSON', ...json('{"inputs": [[0.1, 0.2]'), status: 400, code: 'invalid_json' },
  { kind: 'JSON that is not UTF-8', headers: { 'content-type': 'application/json' }, body: Uint8Array.of(0x7b, 0x22, 0xff, 0x22, 0x7d), status: 400, code: 'invalid_json' },
  { kind: 'JSON array body', ...json([row]), status: 400, code: 'invalid_request' },
  { kind: 'unknown field', ...json({ inputs: [row], temperature: 2 }), status: 400, code: 'invalid_request' },
  { kind: 'string in inputs', ...json({ inputs: [[...row.slice(1), 'x']] }), status: 400, code: 'invalid_request' },
  { kind: 'empty batch', ...json({ inputs: [] }), status: 400, code: 'invalid_request' },
  { kind: 'wrong row length', ...json({ inputs: [row.slice(1)] }), status: 400, code: 'shape_error' },
  { kind: 'value overflowing float32 (Infinity)', ...json({ inputs: [[1e39, ...row.slice(1)]] }), status: 400, code: 'input_error' },
  { kind: 'NaN in raw float32', ...octet('1,64', Float32Array.from(row, (v, i) => (i === 5 ? Number.NaN : v))), status: 400, code: 'input_error' },
  { kind: 'batch over MAX_BATCH', ...json({ inputs: rows(testInputs(5, 1), 64) }), status: 413, code: 'batch_too_large' },
  { kind: 'body over MAX_BODY_BYTES', ...octet('1,64', new Uint8Array(70000)), status: 413, code: 'payload_too_large' },
  { kind: 'chunked body over MAX_BODY_BYTES (no Content-Length)', ...octet('1,64', slowBody(40, 2048)), status: 413, code: 'payload_too_large' },
  { kind: 'text/plain body', headers: { 'content-type': 'text/plain' }, body: 'hello', status: 415, code: 'unsupported_media_type' },
  { kind: 'no Content-Type', body: new Uint8Array(256), status: 415, code: 'unsupported_media_type' },
  { kind: 'empty body', headers: { 'content-type': 'application/json' }, body: '', status: 400, code: 'invalid_request' },
  { kind: 'bad base64', ...json({ tensor: { shape: [1, 64], data: 'not base64!' } }), status: 400, code: 'invalid_request' },
  { kind: 'tensor shape not the model input', ...json({ tensor: { shape: [1, 8, 8, 3], data: float32Base64(good.slice(0, 64)) } }), status: 400, code: 'shape_error' },
  { kind: 'tensor data shorter than its shape', ...json({ tensor: { shape: [2, 64], data: float32Base64(good.slice(0, 64)) } }), status: 400, code: 'shape_error' },
  { kind: 'raw float32 without x-shape', ...octet(null, good.slice(0, 64)), status: 400, code: 'invalid_request' },
  { kind: 'malformed x-shape', ...octet('1;64', good.slice(0, 64)), status: 400, code: 'invalid_request' },
  { kind: 'raw float32 byte count not the shape', ...octet('1,64', good.slice(0, 63)), status: 400, code: 'shape_error' },
  { kind: 'corrupt PNG', ...image('image/png', Uint8Array.from(png, (b, i) => (i > 40 ? b ^ 0x5a : b))), status: 400, code: 'input_error' },
  { kind: 'not an image', ...image('image/png', new Uint8Array(new TextEncoder().encode('this is not a png at all'))), status: 400, code: 'input_error' },
  { kind: 'image too large', ...image('image/png', hugePng(100, 100)), status: 413, code: 'image_too_large' },
  { kind: 'JPEG content type with PNG bytes', ...image('image/jpeg', png), status: 400, code: 'input_error' },
  { kind: 'multipart with a text field', body: (() => {
    const form = imageForm([png])
    form.append('samples', '8')
    return form
  })(), status: 400, code: 'invalid_request' },
  { kind: 'malformed multipart', headers: { 'content-type': 'multipart/form-data; boundary=zzz' }, body: 'no boundary here', status: 400, code: 'invalid_request' },
  { kind: 'samples out of range', path: '/v1/predict?samples=5000', ...json({ inputs: [row] }), status: 400, code: 'invalid_request' },
  { kind: 'unknown query parameter', path: '/v1/predict?temperature=3', ...json({ inputs: [row] }), status: 400, code: 'invalid_request' },
  { kind: 'MC score with samples < 2', path: '/v1/predict?samples=1&oodScore=mc-entropy', ...json({ inputs: [row] }), status: 400, code: 'option_error' },
  { kind: 'option in query and body', path: '/v1/predict?seed=1', ...json({ inputs: [row], seed: 2 }), status: 400, code: 'invalid_request' },
  { kind: 'strict filter with an OOD item', path: '/v1/filter?strict=1', ...json({ inputs: rows(testInputs(20, 5).subarray(0, 64), 64) }), status: 422, code: 'out_of_distribution' },
  { kind: 'filter on a score without threshold', path: '/v1/filter?oodScore=entropy', ...json({ inputs: [row] }), status: 422, code: 'not_fitted_error' },
  { kind: 'fine-tuning without an R2 bucket', path: '/v1/models/test-model/fine-tune', body: fineTuneForm({ labels: ['cat'], inputs: good.slice(0, 64) }), status: 403, code: 'fine_tuning_disabled' },
]

function send(request: BadRequest): Promise<Response> {
  const auth = request.auth === undefined ? `Bearer ${TOKEN}` : request.auth
  const headers = { ...(auth === null ? {} : { authorization: auth }), ...request.headers }
  const streaming = request.body instanceof ReadableStream
  return worker.fetch(request.path ?? '/v1/predict', {
    method: request.method ?? 'POST',
    headers,
    ...(request.body === undefined ? {} : { body: request.body }),
    ...(streaming ? { duplex: 'half' } : {}),
  })
}

describe('bad requests against the worker in workerd', () => {
  it(`answers each of ${CASES.length} kinds with its 4xx and a JSON error from the catalogue`, async () => {
    expect(CASES.length).toBeGreaterThanOrEqual(20)
    for (const request of CASES) {
      const response = await send(request)
      const text = await response.text()
      const body = (() => { try { return JSON.parse(text) as { error?: { code?: string; message?: string } } } catch { throw new Error(`${request.kind}: ${response.status} ${text.slice(0, 300)}`) } })()
      expect([response.status, body.error?.code], request.kind).toStrictEqual([request.status, request.code])
      expect(typeof body.error?.message === 'string' && body.error.message.length > 0, request.kind).toBe(true)
      expect(response.headers.get('content-type'), request.kind).toMatch(/^application\/json/)
      expect(response.headers.get('x-request-id'), request.kind).toMatch(/^[0-9a-f-]{36}$/)
    }
  })

  it('challenges with WWW-Authenticate and still serves health and the OpenAPI document without a token', async () => {
    const denied = await worker.fetch('/v1/models')
    expect([denied.status, denied.headers.get('www-authenticate')]).toStrictEqual([401, 'Bearer realm="sd-dropout"'])
    expect((await worker.fetch('/healthz')).status).toBe(200)
    expect((await worker.fetch('/openapi.json')).status).toBe(200)
    expect((await worker.fetch('/v1/models', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200)
  })
})

describe('fuzzing the worker in workerd', () => {
  it('answers 2,000 random and mutated bodies with no 5xx, every error a catalogue JSON error, and stays up', async () => {
    const next = fuzzRequests(0x5d5eed, TOKEN)
    const statuses = new Map<number, number>()
    const failures: string[] = []
    let done = 0
    const run = async () => {
      while (done < 2000) {
        done++
        const request = next()
        const response = await worker.fetch(request.path, { method: 'POST', headers: request.headers, body: request.body })
        const text = await response.text()
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        let code: unknown = null
        try {
          code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code ?? null
        } catch {
          code = 'not json'
        }
        const fine = response.status === 200 ? code === null : response.status < 500 && ERROR_CODES.includes(code as ErrorCode)
        if (!fine) failures.push(`${response.status} ${String(code)} ${request.path} ${JSON.stringify(request.headers)} ${text.slice(0, 200)}`)
      }
    }
    await Promise.all(Array.from({ length: 8 }, run))
    console.log(`fuzz statuses: ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`)
    expect(failures).toStrictEqual([])
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true)
    expect((await worker.fetch('/healthz')).status).toBe(200)
    const after = await worker.fetch('/v1/predict', { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'image/png' }, body: png })
    expect(after.status).toBe(200)
  })
})
