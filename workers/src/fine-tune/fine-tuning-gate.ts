import type { ModelBucket, WorkerConfig, WritableModelBucket } from '../config/worker-config.js'
import { ApiError } from '../errors.js'

/** Why fine-tuning is off: the variables a deployment lacks (or has) for it. */
export type FineTuningBlocker = 'API_TOKEN' | 'MODEL_BUCKET' | 'MODEL_PUBLIC_KEY'

/**
 * What keeps fine-tuning off on a deployment (empty: it is on). It needs an `API_TOKEN` (writing
 * models is never anonymous), a `MODEL_BUCKET` to write to, and no `MODEL_PUBLIC_KEY`: a signed
 * deployment refuses unsigned bundles, and the worker holds no private key to sign what it writes.
 * The same rule decides whether names are looked up as fine-tuned models, so unauthenticated
 * callers can never make the worker read R2 for arbitrary names.
 *
 * @example
 * ```ts
 * fineTuningBlockers(workerConfig({}), undefined) // ['API_TOKEN', 'MODEL_BUCKET']
 * ```
 */
export function fineTuningBlockers(config: WorkerConfig, bucket: ModelBucket | undefined): FineTuningBlocker[] {
  const blockers: FineTuningBlocker[] = []
  if (config.apiToken === null) blockers.push('API_TOKEN')
  if (bucket === undefined) blockers.push('MODEL_BUCKET')
  if (config.publicKey !== null) blockers.push('MODEL_PUBLIC_KEY')
  return blockers
}

/**
 * The bucket fine-tuning writes to, or a refusal where fine-tuning is off.
 *
 * @throws {ApiError} 403 `fine_tuning_disabled`, `details.missing` naming what is missing (or, for
 *   `MODEL_PUBLIC_KEY`, present).
 * @example
 * ```ts
 * const bucket = fineTuningBucket(c.var.config, c.env?.MODEL_BUCKET)
 * ```
 */
export function fineTuningBucket(config: WorkerConfig, bucket: WritableModelBucket | undefined): WritableModelBucket {
  const blockers = fineTuningBlockers(config, bucket)
  if (bucket !== undefined && blockers.length === 0) return bucket
  const reasons = blockers.map((blocker) =>
    blocker === 'MODEL_PUBLIC_KEY' ? 'MODEL_PUBLIC_KEY is set (fine-tuned bundles would be unsigned and refused)' : blocker === 'API_TOKEN' ? 'no API_TOKEN secret' : 'no MODEL_BUCKET R2 binding',
  )
  throw new ApiError('fine_tuning_disabled', `fine-tuning is disabled on this deployment: ${reasons.join('; ')}`, { details: { missing: blockers } })
}
