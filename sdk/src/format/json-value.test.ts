import { describe, expect, it } from 'vitest'
import { FormatError } from '../errors.js'
import { decodeJson, encodeJson, jsonValueProblem } from './json-value.js'

describe('jsonValueProblem', () => {
  it('accepts plain JSON values, including null-prototype objects', () => {
    const bare = Object.assign(Object.create(null) as object, { a: 1 })
    for (const value of [null, true, 'x', 0, -1.5e300, [], {}, { a: [1, { b: null }] }, bare]) expect(jsonValueProblem(value)).toBeNull()
  })

  it('points at the first value JSON would change or refuse', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    expect(jsonValueProblem({ a: [1, Number.NaN] })).toStrictEqual({ path: 'a.1', reason: 'NaN is not a finite number' })
    expect(jsonValueProblem({ a: { b: undefined } })).toStrictEqual({ path: 'a.b', reason: 'a undefined is not JSON' })
    expect(jsonValueProblem({ at: new Date(0) })).toStrictEqual({ path: 'at', reason: '[object Date] is not a plain object' })
    expect(jsonValueProblem(cyclic)).toStrictEqual({ path: 'self', reason: 'cycle' })
    expect(jsonValueProblem([1, , 3])).toStrictEqual({ path: '(root)', reason: 'arrays must be dense, without extra properties' }) // eslint-disable-line no-sparse-arrays
    expect(jsonValueProblem(10n)).toStrictEqual({ path: '(root)', reason: 'a bigint is not JSON' })
  })

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { x: 1 }
    expect(jsonValueProblem({ a: shared, b: [shared] })).toBeNull()
  })
})

describe('encodeJson / decodeJson', () => {
  it('round-trips UTF-8 text and names the part on failure', () => {
    expect(decodeJson(encodeJson({ text: 'héllo ✓' }), 'notes')).toStrictEqual({ text: 'héllo ✓' })
    expect(() => decodeJson(Uint8Array.of(0xc3), 'notes')).toThrow(FormatError)
    expect(() => decodeJson(new TextEncoder().encode('{'), 'notes')).toThrow('notes: is not valid JSON')
  })
})
