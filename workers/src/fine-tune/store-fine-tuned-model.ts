import { sha256Hex } from '@sd-dropout/sdk'
import type { WritableModelBucket } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { fineTunedModelKey } from '../models/fine-tuned-model-key.js'

/** Where a fine-tuned bundle was written. */
export interface StoredModel {
  /** The R2 object key, `fine-tuned/<name>.sdd`. */
  readonly key: string
  /** SHA-256 (hex) of the bundle file, as `sha256sum` prints it. */
  readonly sha256: string
  readonly bytes: number
}

/** The R2 custom metadata stored with a fine-tuned bundle (also readable by `wrangler r2 object get`). */
export interface StoredModelMetadata {
  readonly id: string
  readonly parentId: string
  readonly parentName: string
}

/**
 * Checks before any work that fine-tuning may write `name`: not taken by a fine-tuned bundle in
 * the bucket (the caller checks the built-in and MODELS names).
 *
 * @throws {ApiError} 409 `model_exists`; 503 `model_unavailable` (cause `r2_error`) when R2 fails.
 * @example
 * ```ts
 * await assertModelNameFree(bucket, 'digits-ft-1a2b3c4d')
 * ```
 */
export async function assertModelNameFree(bucket: WritableModelBucket, name: string): Promise<void> {
  const key = fineTunedModelKey(name)
  let existing: object | null
  try {
    existing = await bucket.head(key)
  } catch (error) {
    throw new ApiError('model_unavailable', `reading R2 object ${key} failed`, { details: { model: name, cause: 'r2_error' }, cause: error })
  }
  if (existing !== null) throw new ApiError('model_exists', `a fine-tuned model named ${name} exists; choose another name`, { details: { model: name, key } })
}

/**
 * Writes a fine-tuned bundle to `fine-tuned/<name>.sdd`, create-only (`onlyIf: { etagDoesNotMatch:
 * '*' }`): a name is written once and never overwritten, so a name always means one bundle, even
 * when two requests race for it.
 *
 * @throws {ApiError} 409 `model_exists` when the key exists; 503 `model_unavailable` (cause `r2_error`) when R2 fails.
 * @example
 * ```ts
 * const { key, sha256 } = await storeFineTunedModel(bucket, 'digits-ft-1a2b3c4d', result.bundle, { id, parentId, parentName })
 * ```
 */
export async function storeFineTunedModel(bucket: WritableModelBucket, name: string, bundle: Uint8Array, metadata: StoredModelMetadata): Promise<StoredModel> {
  const key = fineTunedModelKey(name)
  const sha256 = await sha256Hex(bundle)
  let stored: object | null
  try {
    stored = await bucket.put(key, bundle, {
      onlyIf: { etagDoesNotMatch: '*' },
      httpMetadata: { contentType: 'application/octet-stream' },
      customMetadata: { ...metadata, sha256 },
    })
  } catch (error) {
    throw new ApiError('model_unavailable', `writing R2 object ${key} failed`, { details: { model: name, cause: 'r2_error' }, cause: error })
  }
  if (stored === null) throw new ApiError('model_exists', `a fine-tuned model named ${name} was written meanwhile; nothing was written`, { details: { model: name, key } })
  return { key, sha256, bytes: bundle.byteLength }
}
