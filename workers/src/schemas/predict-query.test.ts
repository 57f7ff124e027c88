import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.js'
import { filterQuerySchema, parseQuery, predictQuerySchema } from './predict-query.js'

function failure(queries: Record<string, string[]>, schema = predictQuerySchema): string {
  try {
    parseQuery(queries, schema)
  } catch (error) {
    if (error instanceof ApiError) return error.message
    throw error
  }
  return 'ok'
}

describe('parseQuery', () => {
  it('parses the options and strict', () => {
    expect(parseQuery({ samples: ['32'], seed: ['4294967295'], oodScore: ['energy'] }, predictQuerySchema)).toStrictEqual({
      options: { samples: 32, seed: 4294967295, oodScore: 'energy' },
      strict: false,
    })
    expect(parseQuery({}, predictQuerySchema)).toStrictEqual({ options: {}, strict: false })
    expect(parseQuery({ strict: ['1'] }, filterQuerySchema).strict).toBe(true)
    expect(parseQuery({ strict: ['true'] }, filterQuerySchema).strict).toBe(true)
    expect(parseQuery({ strict: ['0'] }, filterQuerySchema).strict).toBe(false)
  })

  it('refuses unknown, repeated and out-of-range parameters', () => {
    expect(failure({ strict: ['1'] })).toMatch(/^query\.strict: Invalid key/)
    expect(failure({ samples: ['1', '2'] })).toBe('query.samples: given 2 times (at most once)')
    expect(failure({ samples: ['1025'] })).toMatch(/^query\.samples: Invalid value: Expected <=1024/)
    expect(failure({ samples: ['-1'] })).toMatch(/^query\.samples: must be a decimal integer/)
    expect(failure({ seed: ['4294967296'] })).toMatch(/^query\.seed: Invalid value/)
    expect(failure({ oodScore: ['odin'] })).toMatch(/^query\.oodScore: Invalid type/)
    expect(failure({ strict: ['yes'] }, filterQuerySchema)).toMatch(/^query\.strict/)
  })
})
