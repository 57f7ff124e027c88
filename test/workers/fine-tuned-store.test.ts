import { sha256Hex } from '@sd-dropout/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { WritableModelBucket } from '../../workers/src/config/worker-config.js'
import { ApiError } from '../../workers/src/errors.js'
import { assertModelNameFree, storeFineTunedModel } from '../../workers/src/fine-tune/store-fine-tuned-model.js'
import { openLocalBucket, type LocalBucket } from './local-worker.js'

// The worker's R2 writes against Miniflare's real R2 (through wrangler's platform proxy): a
// fine-tuned bundle is written create-only, so a second write of the same name is refused by R2
// itself (onlyIf etagDoesNotMatch '*'), not only by the check before training.

let local: Awaited<ReturnType<typeof openLocalBucket>>
let bucket: LocalBucket
beforeAll(async () => {
  local = await openLocalBucket('fine-tuned-store')
  bucket = local.bucket
})
afterAll(async () => local?.dispose())

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.code} ${JSON.stringify(error.details)}`
    throw error
  }
  return 'ok'
}

describe('storeFineTunedModel on local R2', () => {
  it('writes fine-tuned/<name>.sdd once with its metadata, and refuses a second write of the name', async () => {
    const writable: WritableModelBucket = bucket
    const first = Uint8Array.from({ length: 1000 }, (_, i) => i % 251)
    expect(await failure(assertModelNameFree(writable, 'digits-ft-00000001'))).toBe('ok')
    const stored = await storeFineTunedModel(writable, 'digits-ft-00000001', first, { id: 'digits-ft-00000001-x', parentId: 'digits-1', parentName: 'digits' })
    expect(stored).toStrictEqual({ key: 'fine-tuned/digits-ft-00000001.sdd', sha256: await sha256Hex(first), bytes: 1000 })
    const object = await bucket.get('fine-tuned/digits-ft-00000001.sdd')
    expect(new Uint8Array(await (object as NonNullable<typeof object>).arrayBuffer())).toStrictEqual(first)
    expect(object?.customMetadata).toStrictEqual({ id: 'digits-ft-00000001-x', parentId: 'digits-1', parentName: 'digits', sha256: stored.sha256 })
    expect(object?.httpMetadata?.contentType).toBe('application/octet-stream')

    const detail = JSON.stringify({ model: 'digits-ft-00000001', key: 'fine-tuned/digits-ft-00000001.sdd' })
    expect(await failure(assertModelNameFree(writable, 'digits-ft-00000001'))).toBe(`409 model_exists ${detail}`)
    // a racing second write (it passed the check before the first write landed) is refused by R2
    expect(await failure(storeFineTunedModel(writable, 'digits-ft-00000001', new Uint8Array(10), { id: 'other', parentId: 'digits-1', parentName: 'digits' }))).toBe(`409 model_exists ${detail}`)
    const kept = await bucket.get('fine-tuned/digits-ft-00000001.sdd')
    expect(new Uint8Array(await (kept as NonNullable<typeof kept>).arrayBuffer())).toStrictEqual(first)
  })

  it('answers 503 model_unavailable (r2_error) when R2 fails', async () => {
    const broken = { get: () => Promise.reject(new Error('down')), head: () => Promise.reject(new Error('down')), put: () => Promise.reject(new Error('down')) }
    expect(await failure(assertModelNameFree(broken, 'x'))).toBe('503 model_unavailable {"model":"x","cause":"r2_error"}')
    expect(await failure(storeFineTunedModel(broken, 'x', new Uint8Array(4), { id: 'x-1', parentId: 'p', parentName: 'p' }))).toBe('503 model_unavailable {"model":"x","cause":"r2_error"}')
  })
})
