import { generateSigningKeyPair, InputError, loadModel, readBundle, sha256Hex, type LoadModelOptions, type SdModel } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { workerConfig, type WritableModelBucket } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { sdkTestModel } from '../testing/test-models.js'
import { ModelRegistry, type LoadModelFunction } from './model-registry.js'

// Real bundles written by our writer (the SDK test model under other names, one damaged), loaded by
// the SDK's real loadModel; the loader below only records what it was asked to load.
const { testBundle, testInputs } = await sdkTestModel()
const builtIn = await testBundle()
const two = await testBundle({ name: 'two', id: 'two-20261122T000000Z-00000002' })
const three = await testBundle({ name: 'three', id: 'three-20261122T000000Z-00000003' })
/** `two` with one bit of its head weights flipped: the SDK refuses it (integrity_error). */
const damaged = two.slice()
const weight = (await readBundle(two)).part('head.weight')
damaged[weight.offset + 5] = (damaged[weight.offset + 5] as number) ^ 0x01

const loaded: SdModel[] = []
afterAll(() => loaded.forEach((model) => model.dispose()))

/** The real loadModel, recording each call's options and the loaded model's name (or the error code). */
function loader() {
  const loads: { result: string; options: LoadModelOptions | undefined }[] = []
  const load: LoadModelFunction = async (source, options) => {
    try {
      const model = await loadModel(source, options)
      loaded.push(model)
      loads.push({ result: model.info.name, options })
      return model
    } catch (error) {
      loads.push({ result: error instanceof Error && 'code' in error ? String(error.code) : 'error', options })
      throw error
    }
  }
  return { loads, loadModel: load }
}

/** An in-memory R2 bucket of bundle bytes (the worker tests in workerd use Miniflare's real R2). */
function bucket(objects: Record<string, Uint8Array>): WritableModelBucket & { gets: string[] } {
  const gets: string[] = []
  return {
    gets,
    get(key: string) {
      gets.push(key)
      const bytes = objects[key]
      return Promise.resolve(bytes === undefined ? null : { arrayBuffer: () => Promise.resolve(bytes.slice().buffer) })
    },
    head: (key: string) => Promise.resolve(objects[key] === undefined ? null : {}),
    put: () => Promise.reject(new Error('the registry only reads')),
  }
}

async function failure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ApiError) return `${error.status} ${error.code} ${String(error.details.cause ?? '')}`.trim()
    throw error
  }
  return 'ok'
}

describe('ModelRegistry', () => {
  it('loads the built-in model once, with the configured limits, keeping the first request alive for it', async () => {
    const { loads, loadModel } = loader()
    const registry = new ModelRegistry({ defaultBundle: builtIn, loadModel })
    const config = workerConfig({ MAX_BATCH: '8', MAX_PIXELS: '1000' })
    const kept: Promise<unknown>[] = []
    const [a, b] = await Promise.all([registry.defaultModel(config, (work) => kept.push(work)), registry.defaultModel(config, (work) => kept.push(work))])
    expect(a).toBe(b)
    expect(kept).toHaveLength(1)
    expect(await kept[0]).toBe(a)
    expect(await registry.get('test-model', config, undefined)).toStrictEqual({ model: a, source: 'built-in', isDefault: true })
    expect(loads).toStrictEqual([{ result: 'test-model', options: { maxBatch: 8, maxPixels: 1000 } }])
    // the limits reach the model: 8 items predict, 9 are refused by the SDK
    expect(await a.predict(testInputs(8))).toHaveLength(8)
    await expect(a.predict(testInputs(9))).rejects.toThrow(InputError)
  })

  it('loads MODELS from R2 once per name, and lists names built-in first', async () => {
    const { loads, loadModel } = loader()
    const registry = new ModelRegistry({ defaultBundle: builtIn, loadModel })
    const config = workerConfig({ MODELS: '{"two":"bundles/2.sdd","three":"bundles/3.sdd"}' })
    const r2 = bucket({ 'bundles/2.sdd': two, 'bundles/3.sdd': three })
    const first = await registry.get('two', config, r2)
    expect([first.model.info.name, first.model.info.id, first.source, first.isDefault]).toStrictEqual(['two', 'two-20261122T000000Z-00000002', 'r2', false])
    expect((await registry.get('two', config, r2)).model).toBe(first.model)
    expect(r2.gets).toStrictEqual(['bundles/2.sdd'])
    expect(await registry.names(config)).toStrictEqual(['test-model', 'two', 'three'])
    expect(loads.map((load) => load.result)).toStrictEqual(['test-model', 'two'])
    expect(await first.model.predict(testInputs(2, 5))).toStrictEqual(await (await registry.defaultModel(config)).predict(testInputs(2, 5)))
  })

  it('serves fine-tuned models by the fine-tuned/<name>.sdd convention where fine-tuning is on, and only there', async () => {
    const { loadModel } = loader()
    const registry = new ModelRegistry({ defaultBundle: builtIn, loadModel })
    const r2 = bucket({ 'fine-tuned/two.sdd': two, 'bundles/3.sdd': three })
    const open = workerConfig({ API_TOKEN: 't', MODELS: { three: 'bundles/3.sdd' } })
    const served = await registry.get('two', open, r2)
    expect([served.model.info.name, served.source, served.isDefault]).toStrictEqual(['two', 'fine-tuned', false])
    expect((await registry.get('three', open, r2)).source).toBe('r2')
    expect(await failure(registry.get('four', open, r2))).toBe('404 model_not_found')
    expect(r2.gets).toStrictEqual(['fine-tuned/two.sdd', 'bundles/3.sdd', 'fine-tuned/four.sdd'])
    // without a token (or with a public key) names are never looked up in R2
    const closed = new ModelRegistry({ defaultBundle: builtIn, loadModel })
    const quiet = bucket({ 'fine-tuned/two.sdd': two })
    expect(await failure(closed.get('two', workerConfig({}), quiet))).toBe('404 model_not_found')
    expect(await failure(closed.get('two', workerConfig({ API_TOKEN: 't', MODEL_PUBLIC_KEY: (await generateSigningKeyPair()).publicKey }), quiet))).toBe('404 model_not_found')
    expect(quiet.gets).toStrictEqual([])
    expect([await registry.isReserved('test-model', open), await registry.isReserved('three', open), await registry.isReserved('two', open)]).toStrictEqual([true, true, false])
  })

  it('keeps the bundle file of every model it loads, whose SHA-256 is the model\'s', async () => {
    const registry = new ModelRegistry({ defaultBundle: builtIn.slice().buffer, loadModel: loader().loadModel })
    const config = workerConfig({ MODELS: { two: 'bundles/2.sdd' } })
    const builtInModel = await registry.defaultModel(config)
    const twoModel = (await registry.get('two', config, bucket({ 'bundles/2.sdd': two }))).model
    expect(registry.bundleBytes(builtInModel)).toStrictEqual(builtIn)
    expect(registry.bundleBytes(twoModel)).toStrictEqual(two)
    expect(await sha256Hex(registry.bundleBytes(twoModel))).toBe(twoModel.info.sha256)
    const stranger = await loadModel(three)
    loaded.push(stranger)
    expect(() => registry.bundleBytes(stranger)).toThrow(ApiError)
  })

  it('answers unknown and malformed names with 404', async () => {
    const registry = new ModelRegistry({ defaultBundle: builtIn, loadModel: loader().loadModel })
    expect(await failure(registry.get('nope', workerConfig({}), undefined))).toBe('404 model_not_found')
    expect(await failure(registry.get('../etc', workerConfig({}), undefined))).toBe('404 model_not_found')
    expect(await failure(registry.get('toString', workerConfig({}), undefined))).toBe('404 model_not_found')
  })

  it('turns load failures into 503 model_unavailable and retries them later', async () => {
    const { loads, loadModel } = loader()
    const registry = new ModelRegistry({ defaultBundle: builtIn, loadModel })
    const config = workerConfig({ MODELS: { bad: 'bad.sdd', gone: 'gone.sdd' } })
    const r2 = bucket({ 'bad.sdd': damaged })
    expect(await failure(registry.get('bad', config, r2))).toBe('503 model_unavailable integrity_error')
    expect(await failure(registry.get('bad', config, r2))).toBe('503 model_unavailable integrity_error')
    expect(loads.filter((load) => load.result === 'integrity_error')).toHaveLength(2)
    expect(await failure(registry.get('gone', config, r2))).toBe('503 model_unavailable r2_not_found')
    const broken = new ModelRegistry({ defaultBundle: damaged, loadModel })
    expect(await failure(broken.defaultModel(config))).toBe('503 model_unavailable integrity_error')
    const unsigned = new ModelRegistry({ defaultBundle: builtIn, loadModel })
    const keyed = workerConfig({ MODEL_PUBLIC_KEY: (await generateSigningKeyPair()).publicKey })
    expect(await failure(unsigned.defaultModel(keyed))).toBe('503 model_unavailable signature_error')
  })

  it('refuses configurations it cannot serve', async () => {
    const registry = new ModelRegistry({ defaultBundle: builtIn, loadModel: loader().loadModel })
    expect(await failure(registry.get('two', workerConfig({ MODELS: { two: '2.sdd' } }), undefined))).toBe('500 invalid_configuration')
    expect(await failure(registry.defaultModel(workerConfig({ MODELS: { 'test-model': '1.sdd' } })))).toBe('500 invalid_configuration')
    const keyed = new ModelRegistry({ defaultBundle: builtIn, loadModel: loader().loadModel })
    expect(await failure(keyed.defaultModel(workerConfig({ MODEL_PUBLIC_KEY: 'not-a-key' })))).toBe('500 invalid_configuration')
  })
})
