import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.js'
import { decodeBase64 } from './decode-base64.js'

describe('decodeBase64', () => {
  it('decodes standard padded base64', () => {
    expect(Array.from(decodeBase64('AACAPw==', 'x'))).toStrictEqual([0, 0, 128, 63])
    expect(Array.from(decodeBase64('+/8=', 'x'))).toStrictEqual([0xfb, 0xff])
    expect(Array.from(decodeBase64('AAEC', 'x'))).toStrictEqual([0, 1, 2])
  })

  it('refuses whitespace, base64url, missing padding and other characters, naming where', () => {
    for (const text of ['AACA Pw==', '-_8=', 'AACAPw', 'AA=A', '!!!!', 'AACAPw==\n']) {
      let error: unknown = null
      try {
        decodeBase64(text, 'body.tensor.data')
      } catch (caught) {
        error = caught
      }
      expect(error instanceof ApiError && error.code === 'invalid_request' && error.details.path === 'body.tensor.data', text).toBe(true)
    }
  })
})
