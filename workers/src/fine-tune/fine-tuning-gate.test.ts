import { describe, expect, it } from 'vitest'
import { workerConfig, type WritableModelBucket } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { fineTuningBlockers, fineTuningBucket } from './fine-tuning-gate.js'

// The gate only looks at whether a binding is there; a bucket that holds nothing is enough.
const bucket: WritableModelBucket = { get: () => Promise.resolve(null), head: () => Promise.resolve(null), put: () => Promise.resolve(null) }

function refusal(config: ReturnType<typeof workerConfig>, given: WritableModelBucket | undefined): unknown {
  try {
    fineTuningBucket(config, given)
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, code: error.code, message: error.message, details: error.details }
    throw error
  }
  return null
}

describe('the fine-tuning gate', () => {
  it('opens with a token and a bucket, and no public key', () => {
    expect(fineTuningBlockers(workerConfig({ API_TOKEN: 't' }), bucket)).toStrictEqual([])
    expect(fineTuningBucket(workerConfig({ API_TOKEN: 't' }), bucket)).toBe(bucket)
  })

  it('names every blocker', () => {
    expect(fineTuningBlockers(workerConfig({}), undefined)).toStrictEqual(['API_TOKEN', 'MODEL_BUCKET'])
    expect(fineTuningBlockers(workerConfig({ API_TOKEN: 't', MODEL_PUBLIC_KEY: 'k' }), bucket)).toStrictEqual(['MODEL_PUBLIC_KEY'])
  })

  it('refuses with 403 fine_tuning_disabled saying why', () => {
    expect(refusal(workerConfig({}), bucket)).toStrictEqual({
      status: 403,
      code: 'fine_tuning_disabled',
      message: 'fine-tuning is disabled on this deployment: no API_TOKEN secret',
      details: { missing: ['API_TOKEN'] },
    })
    expect(refusal(workerConfig({ API_TOKEN: 't', MODEL_PUBLIC_KEY: 'k' }), undefined)).toStrictEqual({
      status: 403,
      code: 'fine_tuning_disabled',
      message: 'fine-tuning is disabled on this deployment: no MODEL_BUCKET R2 binding; MODEL_PUBLIC_KEY is set (fine-tuned bundles would be unsigned and refused)',
      details: { missing: ['MODEL_BUCKET', 'MODEL_PUBLIC_KEY'] },
    })
  })
})
