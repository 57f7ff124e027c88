import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors.js'
import { DEFAULT_FINE_TUNE_LIMITS, DEFAULT_LIMITS, workerConfig } from './worker-config.js'

function failure(bindings: object): ApiError {
  try {
    workerConfig(bindings)
  } catch (error) {
    if (error instanceof ApiError) return error
    throw error
  }
  throw new Error('expected invalid_configuration')
}

describe('workerConfig', () => {
  it('gives the defaults for no bindings', () => {
    expect(workerConfig({})).toStrictEqual({ apiToken: null, models: {}, publicKey: null, corsOrigins: null, limits: DEFAULT_LIMITS, fineTune: DEFAULT_FINE_TUNE_LIMITS })
    expect(DEFAULT_LIMITS).toStrictEqual({ maxBodyBytes: 4194304, maxBatch: 64, maxPixels: 1048576 })
    expect(DEFAULT_FINE_TUNE_LIMITS).toStrictEqual({ maxExamples: 1000, maxEpochs: 50, maxBodyBytes: 4194304 })
  })

  it('reads numbers given as TOML numbers or strings, and models as JSON text or a table', () => {
    const config = workerConfig({ MAX_BATCH: ' 16 ', MAX_BODY_BYTES: 65536, MAX_PIXELS: '4096', MODELS: '{"fashion":"bundles/fashion.sdd"}', API_TOKEN: 't0k', CORS_ORIGINS: '*' })
    expect(config.limits).toStrictEqual({ maxBodyBytes: 65536, maxBatch: 16, maxPixels: 4096 })
    expect(config.models).toStrictEqual({ fashion: 'bundles/fashion.sdd' })
    expect([config.apiToken, config.corsOrigins]).toStrictEqual(['t0k', '*'])
    expect(workerConfig({ MODELS: { digits: 'd.sdd' } }).models).toStrictEqual({ digits: 'd.sdd' })
    expect(workerConfig({ MAX_FINE_TUNE_EXAMPLES: '500', MAX_FINE_TUNE_EPOCHS: 10, MAX_FINE_TUNE_BODY_BYTES: '2097152' }).fineTune).toStrictEqual({ maxExamples: 500, maxEpochs: 10, maxBodyBytes: 2097152 })
  })

  it('splits a comma-separated origin list', () => {
    expect(workerConfig({ CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' }).corsOrigins).toStrictEqual(['https://a.example.com', 'http://localhost:5173'])
    expect(workerConfig({ CORS_ORIGINS: '' }).corsOrigins).toBeNull()
  })

  it('parses once per bindings object', () => {
    const bindings = { MAX_BATCH: '8' }
    expect(workerConfig(bindings)).toBe(workerConfig(bindings))
  })

  it('refuses bad values with invalid_configuration naming the variable', () => {
    const cases: [object, string][] = [
      [{ MAX_BATCH: '0' }, 'config.MAX_BATCH'],
      [{ MAX_BATCH: '1e3' }, 'config.MAX_BATCH'],
      [{ MAX_BODY_BYTES: 10 }, 'config.MAX_BODY_BYTES'],
      [{ MODELS: '{"Bad Name":"x"}' }, 'config.MODELS'],
      [{ MODELS: 'not json' }, 'config.MODELS'],
      [{ API_TOKEN: '' }, 'config.API_TOKEN'],
      [{ CORS_ORIGINS: 'example.com' }, 'config.CORS_ORIGINS'],
      [{ MAX_FINE_TUNE_EXAMPLES: '1' }, 'config.MAX_FINE_TUNE_EXAMPLES'],
      [{ MAX_FINE_TUNE_EPOCHS: '0' }, 'config.MAX_FINE_TUNE_EPOCHS'],
      [{ MAX_FINE_TUNE_BODY_BYTES: 'lots' }, 'config.MAX_FINE_TUNE_BODY_BYTES'],
    ]
    for (const [bindings, path] of cases) {
      const error = failure(bindings)
      expect(error.code, JSON.stringify(bindings)).toBe('invalid_configuration')
      expect(error.status).toBe(500)
      expect(String(error.details.path)).toContain(path)
    }
  })

  it('ignores bindings that are not configuration values (R2, unknown vars)', () => {
    const bucket = { get: () => Promise.resolve(null) }
    expect(workerConfig({ MODEL_BUCKET: bucket, OTHER: 'x' } as object).limits).toStrictEqual(DEFAULT_LIMITS)
  })
})
