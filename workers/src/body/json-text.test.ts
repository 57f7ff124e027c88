import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.js'
import { parseJsonText } from './json-text.js'

function failure(source: Uint8Array | string): string {
  try {
    parseJsonText(source, 'the labels part')
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.code}: ${error.message}`
    throw error
  }
  return 'ok'
}

describe('parseJsonText', () => {
  it('parses UTF-8 bytes and decoded text alike', () => {
    expect(parseJsonText(new TextEncoder().encode('["cat", 2, {"é": null}]'), 'x')).toStrictEqual(['cat', 2, { é: null }])
    expect(parseJsonText(' {"epochs": 20} ', 'x')).toStrictEqual({ epochs: 20 })
  })

  it('refuses invalid JSON and invalid UTF-8 with 400 invalid_json naming what', () => {
    expect(failure('[cat]')).toMatch(/^400 invalid_json: the labels part is not valid UTF-8 JSON: /)
    expect(failure(Uint8Array.of(0x5b, 0x22, 0xff, 0x22, 0x5d))).toMatch(/^400 invalid_json: the labels part is not valid UTF-8 JSON: /)
    expect(failure('')).toMatch(/^400 invalid_json/)
  })
})
