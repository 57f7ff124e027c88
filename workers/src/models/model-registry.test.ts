import { SignatureError, type BundleSource, type LoadModelOptions, type SdModel } from '@sd-dropout/sdk'
import { describe, expect, it } from 'vitest'
import { workerConfig, type ModelBucket } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { fakeInfo, fakeModel } from '../testing/fake-model.js'
import { ModelRegistry } from './model-registry.js'

/** A loadModel that names each model after its first byte and counts loads; byte 0xee fails like a bad signature. */
function loader() {
  const loads: { first: number; options: LoadModelOptions | undefined }[] = []
  const loadModel = (source: BundleSource, options?: LoadModelOptions): Promise<SdModel> => {
    const first = (source as Uint8Array)[0] as number
    loads.push({ first, options })
    if (first === 0xee) return Promise.reject(new SignatureError('the bundle signature does not verify'))
    return Promise.resolve(fakeModel([], fakeInfo({ name: `m${first}` })) as unknown as SdModel)
  }
  return { loads, loadModel }
}

function bucket(objects: Record<string, number>): ModelBucket & { gets: string[] } {
  const gets: string[] = []
  return {
    gets,
    get(key: string) {
      gets.push(key)
      const first = objects[key]
      return Promise.resolve(first === undefined ? null : { arrayBuffer: () => Promise.resolve(Uint8Array.of(first).buffer) })
    },
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
    const registry = new ModelRegistry({ defaultBundle: Uint8Array.of(1), loadModel })
    const config = workerConfig({ MAX_BATCH: '8', MAX_PIXELS: '1000' })
    const kept: Promise<unknown>[] = []
    const [a, b] = await Promise.all([registry.defaultModel(config, (work) => kept.push(work)), registry.defaultModel(config, (work) => kept.push(work))])
    expect(a).toBe(b)
    expect(kept).toHaveLength(1)
    expect(await kept[0]).toBe(a)
    expect(await registry.get('m1', config, undefined)).toStrictEqual({ model: a, source: 'built-in', isDefault: true })
    expect(loads).toStrictEqual([{ first: 1, options: { maxBatch: 8, maxPixels: 1000 } }])
  })

  it('loads MODELS from R2 once per name, and lists names built-in first', async () => {
    const { loads, loadModel } = loader()
    const registry = new ModelRegistry({ defaultBundle: Uint8Array.of(1), loadModel })
    const config = workerConfig({ MODELS: '{"two":"bundles/2.sdd","three":"bundles/3.sdd"}' })
    const r2 = bucket({ 'bundles/2.sdd': 2, 'bundles/3.sdd': 3 })
    const first = await registry.get('two', config, r2)
    expect([first.model.info.name, first.source, first.isDefault]).toStrictEqual(['m2', 'r2', false])
    expect((await registry.get('two', config, r2)).model).toBe(first.model)
    expect(r2.gets).toStrictEqual(['bundles/2.sdd'])
    expect(await registry.names(config)).toStrictEqual(['m1', 'two', 'three'])
    expect(loads.map((load) => load.first)).toStrictEqual([1, 2])
  })

  it('answers unknown and malformed names with 404', async () => {
    const registry = new ModelRegistry({ defaultBundle: Uint8Array.of(1), loadModel: loader().loadModel })
    expect(await failure(registry.get('nope', workerConfig({}), undefined))).toBe('404 model_not_found')
    expect(await failure(registry.get('../etc', workerConfig({}), undefined))).toBe('404 model_not_found')
    expect(await failure(registry.get('toString', workerConfig({}), undefined))).toBe('404 model_not_found')
  })

  it('turns load failures into 503 model_unavailable and retries them later', async () => {
    const { loads, loadModel } = loader()
    const registry = new ModelRegistry({ defaultBundle: Uint8Array.of(1), loadModel })
    const config = workerConfig({ MODELS: { bad: 'bad.sdd', gone: 'gone.sdd' } })
    const r2 = bucket({ 'bad.sdd': 0xee })
    expect(await failure(registry.get('bad', config, r2))).toBe('503 model_unavailable signature_error')
    expect(await failure(registry.get('bad', config, r2))).toBe('503 model_unavailable signature_error')
    expect(loads.filter((load) => load.first === 0xee)).toHaveLength(2)
    expect(await failure(registry.get('gone', config, r2))).toBe('503 model_unavailable r2_not_found')
    const broken = new ModelRegistry({ defaultBundle: Uint8Array.of(0xee), loadModel })
    expect(await failure(broken.defaultModel(config))).toBe('503 model_unavailable signature_error')
  })

  it('refuses configurations it cannot serve', async () => {
    const registry = new ModelRegistry({ defaultBundle: Uint8Array.of(1), loadModel: loader().loadModel })
    expect(await failure(registry.get('two', workerConfig({ MODELS: { two: '2.sdd' } }), undefined))).toBe('500 invalid_configuration')
    expect(await failure(registry.defaultModel(workerConfig({ MODELS: { m1: '1.sdd' } })))).toBe('500 invalid_configuration')
    const keyed = new ModelRegistry({ defaultBundle: Uint8Array.of(1), loadModel: loader().loadModel })
    expect(await failure(keyed.defaultModel(workerConfig({ MODEL_PUBLIC_KEY: 'not-a-key' })))).toBe('500 invalid_configuration')
  })
})
