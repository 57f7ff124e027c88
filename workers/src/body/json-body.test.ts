import { ShapeError } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { loadTestModel } from '../testing/test-models.js'
import { parseJsonBody } from './json-body.js'

const model = await loadTestModel()
afterAll(() => model.dispose())
const info = model.info
const limits = { ...DEFAULT_LIMITS, maxBatch: 2 }
const encode = (value: unknown) => new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))
const row = Array.from({ length: 64 }, (_, i) => i / 64)

function failure(body: unknown): string {
  try {
    parseJsonBody(body instanceof Uint8Array ? body : encode(body), info, limits)
  } catch (error) {
    if (error instanceof ApiError) return `${error.code}: ${error.message}`
    if (error instanceof ShapeError) return `shape_error: ${error.message}`
    throw error
  }
  return 'ok'
}

describe('parseJsonBody', () => {
  it('passes rows and their options through', () => {
    const parsed = parseJsonBody(encode({ inputs: [row, row], samples: 8, seed: 3, oodScore: 'msp' }), info, limits)
    expect(parsed).toStrictEqual({ input: [row, row], batch: 2, options: { samples: 8, seed: 3, oodScore: 'msp' } })
  })

  it('decodes a base64 tensor body', () => {
    const values = Float32Array.from({ length: 64 }, (_, i) => i - 32)
    const data = btoa(String.fromCharCode(...new Uint8Array(values.buffer)))
    const parsed = parseJsonBody(encode({ tensor: { shape: [1, 8, 8, 1], data }, seed: 1 }), info, limits)
    expect(Array.from(parsed.input as Float32Array)).toStrictEqual(Array.from(values))
    expect([parsed.batch, parsed.options]).toStrictEqual([1, { seed: 1 }])
  })

  it('names the first problem of a bad body', () => {
    expect(failure('{"inputs": [[1, 2],')).toMatch(/^invalid_json: the body is not valid UTF-8 JSON/)
    expect(failure(Uint8Array.of(0x7b, 0xff, 0x7d))).toMatch(/^invalid_json/)
    expect(failure({ inputs: [] })).toBe('invalid_request: body.inputs: the batch is empty (expected at least one item)')
    expect(failure({ inputs: [[1, 'a']] })).toMatch(/^invalid_request: body\.inputs\.0\.1: Invalid type: Expected number/)
    expect(failure({ inputs: [row], extra: 1 })).toMatch(/^invalid_request: body\.extra/)
    expect(failure({ inputs: [row], samples: -1 })).toMatch(/^invalid_request: body\.samples/)
    expect(failure({ inputs: [row], oodScore: 'odin' })).toMatch(/^invalid_request: body\.oodScore/)
    expect(failure([row])).toMatch(/^invalid_request: body: expected a JSON object/)
    expect(failure('null')).toMatch(/^invalid_request: body: expected a JSON object/)
    expect(failure({ inputs: [row, row, row] })).toBe('batch_too_large: batch of 3 items is over MAX_BATCH = 2')
    for (const data of ['AAAA AAAA', '-_8=', 'AACAPw', 'AA=A', '!!!!', 'AACAPw==\n']) {
      expect(failure({ tensor: { shape: [1, 64], data } }), data).toMatch(/^invalid_request: body\.tensor\.data: not standard padded base64/)
    }
    expect(failure({ tensor: { shape: [1, 64], data: 'AAAA' } })).toMatch(/^shape_error: tensor\.data: expected 256 bytes/)
    expect(failure({ tensor: { shape: [1, 65], data: 'AAAA' } })).toMatch(/^shape_error: tensor shape/)
    expect(failure({ tensor: { shape: [3, 64], data: 'AAAA' } })).toMatch(/^batch_too_large/)
  })
})
