import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getPlatformProxy, unstable_startWorker } from 'wrangler'

/** The repository root: the nearest folder above this file (or the working directory) holding wrangler.toml. */
export const REPO_ROOT = findRepoRoot()

/**
 * Environment that keeps wrangler off the network: no metrics, no cf-object fetch, and no banner
 * (its update check asks the npm registry for a newer wrangler).
 */
export const WRANGLER_OFFLINE_ENV = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' } as const

function findRepoRoot(): string {
  for (const start of [dirname(fileURLToPath(import.meta.url)), process.cwd()]) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'wrangler.toml')) && existsSync(join(dir, 'workers/src/app.ts'))) return dir
      if (dirname(dir) === dir) break
    }
  }
  throw new Error('cannot find the repository root (wrangler.toml beside workers/src/app.ts)')
}

/**
 * Writes a worker entry module serving `bundle` as the built-in default model: a copy of the
 * bundle (`model.sdd`, a wrangler Data module) and two lines around the same `createApp` as
 * workers/src/worker.ts. Returns the entry's path.
 *
 * @example
 * ```ts
 * const entry = writeWorkerEntry('test-artifacts/workers/x', bundle)
 * ```
 */
export function writeWorkerEntry(dir: string, bundle: Uint8Array): string {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'model.sdd'), bundle)
  const app = join(REPO_ROOT, 'workers/src/app.ts')
  const entry = join(dir, 'entry.ts')
  writeFileSync(entry, `import { loadModel } from '@sd-dropout/sdk'\nimport defaultBundle from './model.sdd'\nimport { createApp } from ${JSON.stringify(app)}\nexport default createApp({ defaultBundle, loadModel })\n`)
  return entry
}

/** The R2 bucket name local workers bind as MODEL_BUCKET. */
export const LOCAL_BUCKET = 'sd-dropout-models'

/** Options of {@link startLocalWorker}. The worker's own logs are shown with SD_DROPOUT_WORKER_LOGS=1. */
export interface LocalWorkerOptions {
  /** Scratch folder name under test-artifacts/workers/. */
  readonly name: string
  /** The built-in default bundle the worker is built around. */
  readonly bundle: Uint8Array
  /** Plain-text vars (MODELS, MAX_BATCH, CORS_ORIGINS, MODEL_PUBLIC_KEY, ...). */
  readonly vars?: Readonly<Record<string, string>>
  /** Secrets (API_TOKEN). */
  readonly secrets?: Readonly<Record<string, string>>
  /** Objects to put in the local R2 bucket bound as MODEL_BUCKET before the worker starts. */
  readonly r2Objects?: Readonly<Record<string, Uint8Array>>
}

/** A worker running in local workerd on 127.0.0.1. */
export interface LocalWorker {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string
  /** `fetch` against the worker (a path is resolved against `url`). */
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** Milliseconds from the start call until the worker was ready. */
  readonly startMs: number
  dispose(): Promise<void>
  /** Stops the worker, then reads objects of its local R2 bucket (null for a missing key), then cleans up. */
  disposeReadingBucket(keys: readonly string[]): Promise<Record<string, StoredObject | null>>
}

/** An object read back from the local R2 bucket. */
export interface StoredObject {
  readonly bytes: Uint8Array
  readonly customMetadata: Record<string, string>
  readonly contentType: string | undefined
}

/**
 * Builds the worker (wrangler's bundler, the root wrangler.toml: production compatibility date,
 * nodejs_compat off, minified) around `bundle` as its built-in default model, and runs it in local
 * workerd through `unstable_startWorker`, offline and bound to 127.0.0.1. The default bundle is
 * swapped by generating a two-line entry module beside a copy of the bundle (the same `createApp`
 * as workers/src/worker.ts), so the production entry is untouched.
 *
 * @example
 * ```ts
 * const worker = await startLocalWorker({ name: 'parity', bundle: await testBundle() })
 * const response = await worker.fetch('/v1/predict', { method: 'POST', body, headers })
 * await worker.dispose()
 * ```
 */
export async function startLocalWorker(options: LocalWorkerOptions): Promise<LocalWorker> {
  Object.assign(process.env, WRANGLER_OFFLINE_ENV)
  const dir = join(REPO_ROOT, 'test-artifacts/workers', `${options.name}-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  const entry = writeWorkerEntry(dir, options.bundle)
  const persist = join(dir, 'state')
  if (options.r2Objects !== undefined && Object.keys(options.r2Objects).length > 0) await seedBucket(dir, persist, options.r2Objects)

  const started = performance.now()
  const bindings: Record<string, { type: 'plain_text' | 'secret_text'; value: string } | { type: 'r2_bucket'; bucket_name: string }> = {}
  for (const [key, value] of Object.entries(options.vars ?? {})) bindings[key] = { type: 'plain_text', value }
  for (const [key, value] of Object.entries(options.secrets ?? {})) bindings[key] = { type: 'secret_text', value }
  if (options.r2Objects !== undefined) bindings.MODEL_BUCKET = { type: 'r2_bucket', bucket_name: LOCAL_BUCKET }
  const worker = await unstable_startWorker({
    config: join(REPO_ROOT, 'wrangler.toml'),
    entrypoint: entry,
    bindings,
    envFiles: [],
    sendMetrics: false,
    dev: { server: { hostname: '127.0.0.1', port: 0 }, inspector: false, persist, watch: false, logLevel: process.env.SD_DROPOUT_WORKER_LOGS === '1' ? 'log' : 'none' },
  })
  await worker.ready
  const url = (await worker.url).origin
  const startMs = performance.now() - started
  return {
    url,
    startMs,
    fetch: (path, init) => fetch(new URL(path, url), init),
    async dispose() {
      await worker.dispose()
      rmSync(dir, { recursive: true, force: true })
    },
    async disposeReadingBucket(keys) {
      await worker.dispose()
      try {
        return await withBucket(dir, persist, async (bucket) => {
          const out: Record<string, StoredObject | null> = {}
          for (const key of keys) {
            const object = await bucket.get(key)
            out[key] = object === null ? null : { bytes: new Uint8Array(await object.arrayBuffer()), customMetadata: object.customMetadata ?? {}, contentType: object.httpMetadata?.contentType }
          }
          return out
        })
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

/** The local R2 bucket's binding as a platform proxy gives it (the part these tests use). */
export interface LocalBucket {
  put(key: string, value: Uint8Array, options?: object): Promise<object | null>
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer>; customMetadata?: Record<string, string>; httpMetadata?: { contentType?: string } } | null>
  head(key: string): Promise<object | null>
}

/**
 * Opens a fresh, empty local R2 bucket (Miniflare's R2 in workerd, through wrangler's platform
 * proxy) for tests that call R2 from Node.
 *
 * @example
 * ```ts
 * const { bucket, dispose } = await openLocalBucket('store')
 * ```
 */
export async function openLocalBucket(name: string): Promise<{ bucket: LocalBucket; dispose(): Promise<void> }> {
  const dir = join(REPO_ROOT, 'test-artifacts/workers', `${name}-${process.pid}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'bucket.wrangler.json')
  writeFileSync(config, JSON.stringify({ name: 'bucket', compatibility_date: '2026-04-20', r2_buckets: [{ binding: 'MODEL_BUCKET', bucket_name: LOCAL_BUCKET }] }))
  const proxy = await getPlatformProxy<{ MODEL_BUCKET: LocalBucket }>({ configPath: config, envFiles: [], persist: { path: join(dir, 'state') }, remoteBindings: false })
  return {
    bucket: proxy.env.MODEL_BUCKET,
    async dispose() {
      await proxy.dispose()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Puts objects into the local R2 bucket that a worker with `dev.persist = persist` will see. */
async function seedBucket(dir: string, persist: string, objects: Readonly<Record<string, Uint8Array>>): Promise<void> {
  await withBucket(dir, persist, async (bucket) => {
    for (const [key, bytes] of Object.entries(objects)) await bucket.put(key, bytes)
  })
}

/** Runs `work` on the local R2 bucket persisted under `persist` (Miniflare's R2 through a platform proxy). */
async function withBucket<T>(dir: string, persist: string, work: (bucket: LocalBucket) => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true })
  const config = join(dir, 'bucket.wrangler.json')
  writeFileSync(config, JSON.stringify({ name: 'bucket', compatibility_date: '2026-04-20', r2_buckets: [{ binding: 'MODEL_BUCKET', bucket_name: LOCAL_BUCKET }] }))
  const proxy = await getPlatformProxy<{ MODEL_BUCKET: LocalBucket }>({ configPath: config, envFiles: [], persist: { path: join(persist, 'v3') }, remoteBindings: false })
  try {
    return await work(proxy.env.MODEL_BUCKET)
  } finally {
    await proxy.dispose()
  }
}
