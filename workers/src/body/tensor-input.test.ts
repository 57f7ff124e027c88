import { ShapeError } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { loadTestModel } from '../testing/test-models.js'
import { parseShapeHeader, tensorInput, tensorLayout } from './tensor-input.js'

const model = await loadTestModel()
afterAll(() => model.dispose())
const info = model.info
const limits = { ...DEFAULT_LIMITS, maxBatch: 4 }

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return null
}

describe('parseShapeHeader', () => {
  it('reads comma-separated integers, with or without brackets and spaces', () => {
    expect(parseShapeHeader('1,8,8,1')).toStrictEqual([1, 8, 8, 1])
    expect(parseShapeHeader(' [2, 64] ')).toStrictEqual([2, 64])
  })

  it('refuses a missing, empty, negative, fractional or one-number shape', () => {
    for (const header of [null, '', '-1,64', '1.5,64', '64', 'a,b', '1,2,3,4,5,6,7,8,9']) {
      const error = thrown(() => parseShapeHeader(header))
      expect(error instanceof ApiError && error.code === 'invalid_request', String(header)).toBe(true)
    }
  })
})

describe('tensorLayout', () => {
  it('accepts [B, ...input shape] and [B, input size]', () => {
    expect(tensorLayout([2, 8, 8, 1], info, limits, 'tensor')).toStrictEqual({ batch: 2, byteLength: 512 })
    expect(tensorLayout([3, 64], info, limits, 'tensor')).toStrictEqual({ batch: 3, byteLength: 768 })
  })

  it('refuses other shapes with a ShapeError and too many items with 413', () => {
    for (const shape of [[1, 8, 8], [1, 63], [0, 64], [1, 8, 8, 3], [64]]) expect(thrown(() => tensorLayout(shape, info, limits, 'tensor'))).toBeInstanceOf(ShapeError)
    const error = thrown(() => tensorLayout([5, 64], info, limits, 'tensor'))
    expect(error instanceof ApiError && error.code === 'batch_too_large' && error.status === 413).toBe(true)
  })
})

describe('tensorInput', () => {
  it('reads little-endian float32 values', () => {
    const layout = { batch: 1, byteLength: 8 }
    const bytes = Uint8Array.of(0, 0, 0x80, 0x3f, 0, 0, 0x20, 0xc1)
    const { input, batch } = tensorInput(layout, bytes, 'body')
    expect(batch).toBe(1)
    expect(Array.from(input as Float32Array)).toStrictEqual([1, -10])
  })

  it('reads unaligned bytes too', () => {
    const buffer = new Uint8Array(9)
    buffer.set([0, 0, 0xc0, 0x3f, 0, 0, 0x80, 0xbf], 1)
    expect(Array.from(tensorInput({ batch: 1, byteLength: 8 }, buffer.subarray(1), 'body').input as Float32Array)).toStrictEqual([1.5, -1])
  })

  it('keeps special values for the SDK to refuse', () => {
    expect(Array.from(tensorInput({ batch: 1, byteLength: 8 }, Uint8Array.of(0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0xff), 'body').input as Float32Array)).toStrictEqual([Number.NaN, -Infinity])
  })

  it('refuses a byte count that does not match the shape', () => {
    expect(thrown(() => tensorInput({ batch: 1, byteLength: 256 }, new Uint8Array(255), 'body'))).toBeInstanceOf(ShapeError)
  })
})
