import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.js'
import { ACCEPTED_MEDIA_TYPES, bodyKind } from './media-type.js'

describe('bodyKind', () => {
  it('maps the five media types, ignoring parameters and case', () => {
    expect(bodyKind('application/json; charset=utf-8')).toBe('json')
    expect(bodyKind('Application/Octet-Stream')).toBe('octet-stream')
    expect(bodyKind('image/png')).toBe('png')
    expect(bodyKind('image/jpeg')).toBe('jpeg')
    expect(bodyKind('multipart/form-data; boundary=abc')).toBe('multipart')
    expect(ACCEPTED_MEDIA_TYPES).toHaveLength(5)
  })

  it('refuses other or missing types with 415', () => {
    for (const type of [null, undefined, '', 'text/plain', 'image/gif', 'application/jsonx']) {
      let error: unknown = null
      try {
        bodyKind(type)
      } catch (caught) {
        error = caught
      }
      expect(error instanceof ApiError && error.status === 415 && error.code === 'unsupported_media_type', String(type)).toBe(true)
    }
  })
})
