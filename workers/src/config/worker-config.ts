import * as v from 'valibot'
import { parseWith } from '../schemas/parse-with.js'

/** The part of an R2 bucket binding that serving models reads (structural: an `R2Bucket` fits). */
export interface ModelBucket {
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>
}

/** What fine-tuning writes a new bundle with: a create-only put (`onlyIf: { etagDoesNotMatch: '*' }`). */
export interface ModelPutOptions {
  readonly onlyIf: { readonly etagDoesNotMatch: string }
  readonly httpMetadata: { readonly contentType: string }
  readonly customMetadata: Readonly<Record<string, string>>
}

/**
 * The part of an R2 bucket binding that fine-tuning uses as well: `head` (does a key exist) and a
 * conditional `put` that answers null when its condition fails (an `R2Bucket` fits).
 */
export interface WritableModelBucket extends ModelBucket {
  head(key: string): Promise<object | null>
  put(key: string, value: Uint8Array, options: ModelPutOptions): Promise<object | null>
}

/**
 * The worker's bindings (wrangler.toml `[vars]`, secrets, R2). Every one is optional; numbers may
 * come as TOML numbers or strings.
 */
export interface WorkerBindings {
  /** Secret: when set, `/v1/*` needs `Authorization: Bearer <API_TOKEN>`. */
  readonly API_TOKEN?: string
  /** More models: JSON object (or TOML table) mapping model names to R2 object keys in MODEL_BUCKET. */
  readonly MODELS?: string | Readonly<Record<string, string>>
  /** R2 bucket holding the bundles named in MODELS, and where fine-tuned bundles are written. */
  readonly MODEL_BUCKET?: WritableModelBucket
  /** Base64 raw 32-byte Ed25519 public key: every bundle (built-in included) must carry a valid signature under it. */
  readonly MODEL_PUBLIC_KEY?: string
  /** `*`, or comma-separated origins (`https://app.example.com`) allowed by CORS; unset = no CORS headers. */
  readonly CORS_ORIGINS?: string
  /** Largest request body in bytes (default 4 MiB). */
  readonly MAX_BODY_BYTES?: string | number
  /** Most items per request (default 64). */
  readonly MAX_BATCH?: string | number
  /** Most pixels (width x height) per decoded image (default 1 Mi). */
  readonly MAX_PIXELS?: string | number
  /** Most labelled examples per fine-tuning request (default 1,000). */
  readonly MAX_FINE_TUNE_EXAMPLES?: string | number
  /** Most epochs per fine-tuning request (default 50). */
  readonly MAX_FINE_TUNE_EPOCHS?: string | number
  /** Largest fine-tuning request body in bytes (default 4 MiB). */
  readonly MAX_FINE_TUNE_BODY_BYTES?: string | number
}

/** Request limits of a deployment. */
export interface RequestLimits {
  readonly maxBodyBytes: number
  readonly maxBatch: number
  readonly maxPixels: number
}

/** Caps of one fine-tuning request (they bound its CPU time and memory; see docs/http.md). */
export interface FineTuneLimits {
  readonly maxExamples: number
  readonly maxEpochs: number
  readonly maxBodyBytes: number
}

/** The parsed, checked configuration. */
export interface WorkerConfig {
  readonly apiToken: string | null
  /** Model name -> R2 object key. */
  readonly models: Readonly<Record<string, string>>
  readonly publicKey: string | null
  /** null = no CORS headers; `*` = any origin; else the allowed origins. */
  readonly corsOrigins: '*' | readonly string[] | null
  readonly limits: RequestLimits
  readonly fineTune: FineTuneLimits
}

/** Defaults of {@link RequestLimits}. */
export const DEFAULT_LIMITS: RequestLimits = { maxBodyBytes: 4 * 1024 * 1024, maxBatch: 64, maxPixels: 1024 * 1024 }

/**
 * Defaults of {@link FineTuneLimits}: 1,000 examples, 50 epochs, a 4 MiB body (1,000 MNIST digits
 * as float32 are 3.1 MB). Measured in local workerd (docs/http.md, `npm run bench -- workers`): such
 * a request on the MNIST model takes well under 1 s of CPU and its memory grows with the body (a few
 * copies of it while it is parsed), about 40 MiB here; raise the caps for small inputs or images.
 */
export const DEFAULT_FINE_TUNE_LIMITS: FineTuneLimits = { maxExamples: 1000, maxEpochs: 50, maxBodyBytes: 4 * 1024 * 1024 }

/** Model names as in bundle manifests and URLs. */
export const MODEL_NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,127}$/

const integerSetting = (min: number, max: number) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.trim(), v.regex(/^\d{1,12}$/, 'must be a decimal integer'), v.transform(Number))]),
    v.integer(),
    v.minValue(min),
    v.maxValue(max),
  )
const modelMap = v.record(v.pipe(v.string(), v.regex(MODEL_NAME_PATTERN, 'model names are [a-z0-9][a-z0-9._-]*')), v.pipe(v.string(), v.minLength(1), v.maxLength(1024)))
const origin = v.pipe(v.string(), v.trim(), v.regex(/^https?:\/\/[^/\s,]+$/, 'origins look like https://app.example.com'))

const configSchema = v.object({
  API_TOKEN: v.optional(v.pipe(v.string(), v.minLength(1, 'must not be empty (unset it to disable auth)'))),
  MODELS: v.optional(v.union([modelMap, v.pipe(v.string(), v.parseJson(), modelMap)])),
  MODEL_PUBLIC_KEY: v.optional(v.pipe(v.string(), v.trim(), v.minLength(1))),
  CORS_ORIGINS: v.optional(v.pipe(v.string(), v.trim())),
  MAX_BODY_BYTES: v.optional(integerSetting(1024, 100 * 1024 * 1024)),
  MAX_BATCH: v.optional(integerSetting(1, 1024)),
  MAX_PIXELS: v.optional(integerSetting(64, 16 * 1024 * 1024)),
  MAX_FINE_TUNE_EXAMPLES: v.optional(integerSetting(2, 100_000)),
  MAX_FINE_TUNE_EPOCHS: v.optional(integerSetting(1, 100_000)),
  MAX_FINE_TUNE_BODY_BYTES: v.optional(integerSetting(1024, 100 * 1024 * 1024)),
})

const cache = new WeakMap<object, WorkerConfig>()

/**
 * Parses the bindings into a {@link WorkerConfig}, once per bindings object (so once per isolate
 * in a Worker).
 *
 * @throws {ApiError} `invalid_configuration` (500) naming the bad variable.
 * @example
 * ```ts
 * workerConfig({ MAX_BATCH: '16', CORS_ORIGINS: '*' }).limits.maxBatch // 16
 * ```
 */
export function workerConfig(bindings: WorkerBindings): WorkerConfig {
  const cached = cache.get(bindings)
  if (cached !== undefined) return cached
  const raw = parseWith(configSchema, pick(bindings), 'config', 'invalid_configuration')
  let corsOrigins: WorkerConfig['corsOrigins'] = null
  if (raw.CORS_ORIGINS === '*') corsOrigins = '*'
  else if (raw.CORS_ORIGINS) corsOrigins = parseWith(v.array(origin), raw.CORS_ORIGINS.split(','), 'config.CORS_ORIGINS', 'invalid_configuration')
  const config: WorkerConfig = {
    apiToken: raw.API_TOKEN ?? null,
    models: raw.MODELS ?? {},
    publicKey: raw.MODEL_PUBLIC_KEY ?? null,
    corsOrigins,
    limits: {
      maxBodyBytes: raw.MAX_BODY_BYTES ?? DEFAULT_LIMITS.maxBodyBytes,
      maxBatch: raw.MAX_BATCH ?? DEFAULT_LIMITS.maxBatch,
      maxPixels: raw.MAX_PIXELS ?? DEFAULT_LIMITS.maxPixels,
    },
    fineTune: {
      maxExamples: raw.MAX_FINE_TUNE_EXAMPLES ?? DEFAULT_FINE_TUNE_LIMITS.maxExamples,
      maxEpochs: raw.MAX_FINE_TUNE_EPOCHS ?? DEFAULT_FINE_TUNE_LIMITS.maxEpochs,
      maxBodyBytes: raw.MAX_FINE_TUNE_BODY_BYTES ?? DEFAULT_FINE_TUNE_LIMITS.maxBodyBytes,
    },
  }
  cache.set(bindings, config)
  return config
}

/** Only the variables this worker reads (other bindings, such as R2, are not config values). */
function pick(bindings: WorkerBindings): Record<string, unknown> {
  const { API_TOKEN, MODELS, MODEL_PUBLIC_KEY, CORS_ORIGINS, MAX_BODY_BYTES, MAX_BATCH, MAX_PIXELS, MAX_FINE_TUNE_EXAMPLES, MAX_FINE_TUNE_EPOCHS, MAX_FINE_TUNE_BODY_BYTES } = bindings
  const values = { API_TOKEN, MODELS, MODEL_PUBLIC_KEY, CORS_ORIGINS, MAX_BODY_BYTES, MAX_BATCH, MAX_PIXELS, MAX_FINE_TUNE_EXAMPLES, MAX_FINE_TUNE_EPOCHS, MAX_FINE_TUNE_BODY_BYTES }
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined))
}
