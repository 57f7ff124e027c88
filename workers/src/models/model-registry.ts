import { importPublicKey, KernelError, OptionError, SdDropoutError, type BundleSource, type LoadModelOptions, type SdModel } from '@sd-dropout/sdk'
import type { ModelBucket, WorkerConfig } from '../config/worker-config.js'
import { MODEL_NAME_PATTERN } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { fineTuningBlockers } from '../fine-tune/fine-tuning-gate.js'
import { fineTunedModelKey } from './fine-tuned-model-key.js'

/** The runtime's `loadModel` (workerd's in the Worker, Node's in tests). */
export type LoadModelFunction = (source: BundleSource, options?: LoadModelOptions) => Promise<SdModel>

/**
 * Keeps the request that started a model load alive until the load ends (`ctx.waitUntil` in a
 * Worker): other requests may be waiting on the same load, and must not hang if the client of the
 * first one disconnects.
 */
export type KeepAlive = (work: Promise<unknown>) => void

const noKeepAlive: KeepAlive = () => undefined

/** Where a served model comes from: built in, named in MODELS (R2), or written by fine-tuning (R2, `fine-tuned/<name>.sdd`). */
export type ModelSource = 'built-in' | 'r2' | 'fine-tuned'

/** A loaded model and where it came from. */
export interface ServedModel {
  readonly model: SdModel
  readonly source: ModelSource
  readonly isDefault: boolean
}

/**
 * The models of one isolate: the built-in default bundle, the bundles named in `MODELS` (read from
 * the R2 binding), and models fine-tuned by this worker (R2 key `fine-tuned/<name>.sdd`, looked up
 * for any other well-formed name where fine-tuning is enabled, see `fineTuningBlockers`). Each is loaded (verified, signature
 * checked when a key is set) once and shared by every later request; a failed load is not cached,
 * so a transient R2 error heals. Names resolve in that order; fine-tuning never writes a name that
 * is built in or in MODELS, and never overwrites, so a name always means the same bundle.
 *
 * @example
 * ```ts
 * const registry = new ModelRegistry({ defaultBundle, loadModel })
 * const { model } = await registry.get('digits', config, env.MODEL_BUCKET)
 * ```
 */
export class ModelRegistry {
  readonly #defaultBundle: Uint8Array
  readonly #loadModel: LoadModelFunction
  #default: Promise<SdModel> | null = null
  #publicKey: Promise<CryptoKey> | null = null
  readonly #named = new Map<string, Promise<SdModel>>()
  /** The bundle file each loaded model came from (served by `GET /v1/models/:name/bundle`). */
  readonly #bundles = new WeakMap<SdModel, Uint8Array>()

  constructor(options: { readonly defaultBundle: Uint8Array | ArrayBuffer; readonly loadModel: LoadModelFunction }) {
    this.#defaultBundle = options.defaultBundle instanceof Uint8Array ? options.defaultBundle : new Uint8Array(options.defaultBundle)
    this.#loadModel = options.loadModel
  }

  /**
   * The built-in default model.
   *
   * @throws {ApiError} `model_unavailable` when the bundle cannot be loaded (e.g. signature refusal).
   */
  async defaultModel(config: WorkerConfig, keepAlive: KeepAlive = noKeepAlive): Promise<SdModel> {
    if (this.#default === null) {
      this.#default = this.#load('default', this.#defaultBundle, config).catch((error: unknown) => {
        this.#default = null
        throw error
      })
      keepAlive(this.#default)
    }
    const model = await this.#default
    if (Object.hasOwn(config.models, model.info.name)) {
      throw new ApiError('invalid_configuration', `MODELS names ${model.info.name}, which is the built-in model's name`, { details: { model: model.info.name } })
    }
    return model
  }

  /**
   * A model by name: the built-in one under its manifest name, one configured in `MODELS`, or a
   * fine-tuned one in the bucket (`fine-tuned/<name>.sdd`).
   *
   * @throws {ApiError} `model_not_found` (404), `invalid_configuration` (MODELS without an R2 binding), `model_unavailable` (503).
   */
  async get(name: string, config: WorkerConfig, bucket: ModelBucket | undefined, keepAlive: KeepAlive = noKeepAlive): Promise<ServedModel> {
    if (!MODEL_NAME_PATTERN.test(name)) throw new ApiError('model_not_found', 'model names are [a-z0-9][a-z0-9._-]* (at most 128 characters)')
    const builtIn = await this.defaultModel(config, keepAlive)
    if (builtIn.info.name === name) return { model: builtIn, source: 'built-in', isDefault: true }
    const configured = Object.hasOwn(config.models, name) ? config.models[name] : undefined
    if (configured === undefined && fineTuningBlockers(config, bucket).length > 0) throw new ApiError('model_not_found', `no model named ${name}`, { details: { model: name } })
    const source: ModelSource = configured === undefined ? 'fine-tuned' : 'r2'
    let loading = this.#named.get(name)
    if (loading === undefined) {
      loading = this.#fromBucket(name, configured ?? fineTunedModelKey(name), source, config, bucket)
      this.#named.set(name, loading)
      loading.catch(() => this.#named.delete(name))
      keepAlive(loading)
    }
    return { model: await loading, source, isDefault: false }
  }

  /**
   * Whether `name` is the built-in model's or one of MODELS (which fine-tuning must not take).
   *
   * @example
   * ```ts
   * if (await registry.isReserved('digits', config)) throw new ApiError('model_exists', 'digits is taken')
   * ```
   */
  async isReserved(name: string, config: WorkerConfig, keepAlive: KeepAlive = noKeepAlive): Promise<boolean> {
    return (await this.defaultModel(config, keepAlive)).info.name === name || Object.hasOwn(config.models, name)
  }

  /**
   * The bundle file (`.sdd` bytes) a model of this registry was loaded from: its SHA-256 is
   * `model.info.sha256`. Kept beside each loaded model (the built-in one's bytes are held anyway).
   *
   * @throws {ApiError} `internal_error` for a model this registry did not load.
   * @example
   * ```ts
   * const { model } = await registry.get('mnist-sd-dropout', config, env.MODEL_BUCKET)
   * registry.bundleBytes(model).byteLength // 132736
   * ```
   */
  bundleBytes(model: SdModel): Uint8Array {
    const bytes = this.#bundles.get(model)
    if (bytes === undefined) throw new ApiError('internal_error', `model ${model.info.name} was not loaded by this registry`)
    return bytes
  }

  /** Every model name this deployment serves, the built-in one first. */
  async names(config: WorkerConfig, keepAlive: KeepAlive = noKeepAlive): Promise<string[]> {
    return [(await this.defaultModel(config, keepAlive)).info.name, ...Object.keys(config.models)]
  }

  async #fromBucket(name: string, key: string, source: ModelSource, config: WorkerConfig, bucket: ModelBucket | undefined): Promise<SdModel> {
    if (bucket === undefined) throw new ApiError('invalid_configuration', `MODELS names ${name}, but there is no MODEL_BUCKET binding`)
    let object: Awaited<ReturnType<ModelBucket['get']>>
    try {
      object = await bucket.get(key)
    } catch (error) {
      throw new ApiError('model_unavailable', `model ${name}: reading R2 object ${key} failed`, { details: { model: name, cause: 'r2_error' }, cause: error })
    }
    if (object === null && source === 'fine-tuned') throw new ApiError('model_not_found', `no model named ${name}`, { details: { model: name } })
    if (object === null) throw new ApiError('model_unavailable', `model ${name}: R2 object ${key} does not exist`, { details: { model: name, cause: 'r2_not_found' } })
    return this.#load(name, new Uint8Array(await object.arrayBuffer()), config)
  }

  async #load(name: string, bytes: Uint8Array, config: WorkerConfig): Promise<SdModel> {
    const options: LoadModelOptions = {
      maxBatch: config.limits.maxBatch,
      maxPixels: config.limits.maxPixels,
      ...(config.publicKey === null ? {} : { publicKey: await this.#key(config.publicKey) }),
    }
    try {
      const model = await this.#loadModel(bytes, options)
      this.#bundles.set(model, bytes)
      return model
    } catch (error) {
      if (error instanceof SdDropoutError && !(error instanceof KernelError)) {
        throw new ApiError('model_unavailable', `model ${name} cannot be loaded: ${error.message}`, { details: { model: name, cause: error.code }, cause: error })
      }
      throw error
    }
  }

  #key(base64: string): Promise<CryptoKey> {
    this.#publicKey ??= importPublicKey(base64).catch((error: unknown) => {
      this.#publicKey = null
      if (error instanceof OptionError) throw new ApiError('invalid_configuration', `MODEL_PUBLIC_KEY ${error.message}`)
      throw error
    })
    return this.#publicKey
  }
}
