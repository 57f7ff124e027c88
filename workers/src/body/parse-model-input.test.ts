import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { loadTestModel } from '../testing/test-models.js'
import { parseModelInput } from './parse-model-input.js'

const model = await loadTestModel()
afterAll(() => model.dispose())
const info = model.info
const limits = { ...DEFAULT_LIMITS, maxBatch: 4, maxBodyBytes: 2048 }
const post = (body: BodyInit | null, headers: Record<string, string>) => new Request('http://x/v1/predict', { method: 'POST', body, headers })

async function failure(request: Request): Promise<string> {
  try {
    await parseModelInput(request, info, limits)
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.code}`
    throw error
  }
  return 'ok'
}

describe('parseModelInput', () => {
  it('reads a raw float32 body with its x-shape header', async () => {
    const values = Float32Array.from({ length: 128 }, (_, i) => i / 2)
    const parsed = await parseModelInput(post(values, { 'content-type': 'application/octet-stream', 'x-shape': '2,8,8,1' }), info, limits)
    expect(parsed.batch).toBe(2)
    expect(Array.from(parsed.input as Float32Array)).toStrictEqual(Array.from(values))
    expect(parsed.options).toStrictEqual({})
    expect(await model.predict(parsed.input)).toStrictEqual(await model.predict(values))
  })

  it('reads JSON rows with their options', async () => {
    const row = Array(64).fill(0.25)
    const parsed = await parseModelInput(post(JSON.stringify({ inputs: [row], samples: 4 }), { 'content-type': 'application/json' }), info, limits)
    expect(parsed).toStrictEqual({ input: [row], batch: 1, options: { samples: 4 } })
  })

  it('checks the media type and the x-shape before reading, and the size while reading', async () => {
    expect(await failure(post('x', { 'content-type': 'text/plain' }))).toBe('415 unsupported_media_type')
    expect(await failure(post(new Uint8Array(256), { 'content-type': 'application/octet-stream' }))).toBe('400 invalid_request')
    expect(await failure(post(new Uint8Array(256), { 'content-type': 'application/octet-stream', 'x-shape': '9,64' }))).toBe('413 batch_too_large')
    expect(await failure(post(new Uint8Array(4096), { 'content-type': 'application/octet-stream', 'x-shape': '1,64' }))).toBe('413 payload_too_large')
    expect(await failure(post(null, { 'content-type': 'application/json' }))).toBe('400 invalid_request')
    await expect(parseModelInput(post(new Uint8Array(2), { 'content-type': 'image/png' }), info, limits)).rejects.toThrow('image: not a PNG or JPEG image')
  })
})
