import { OptionError, ShapeError, InputError } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { workerConfig } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { loadTestModel, sdkTestModel } from '../testing/test-models.js'
import { parseFineTuneBody } from './fine-tune-body.js'

const model = await loadTestModel()
afterAll(() => model.dispose())
const inputs = (await sdkTestModel()).testInputs(6, 3)
const config = workerConfig({ MAX_FINE_TUNE_EXAMPLES: '6', MAX_FINE_TUNE_EPOCHS: '40', MAX_FINE_TUNE_BODY_BYTES: '8192', MAX_PIXELS: '100' })

type Part = [name: string, value: string | Blob, filename?: string]
const f32 = (values: Float32Array) => new Blob([values.slice().buffer], { type: 'application/octet-stream' })
const png = (width: number, height: number) => {
  const bytes = new Uint8Array(33)
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
  new DataView(bytes.buffer).setUint32(16, width)
  new DataView(bytes.buffer).setUint32(20, height)
  bytes.set([8, 0, 0, 0, 0], 24)
  return new Blob([bytes], { type: 'image/png' })
}

function request(parts: Part[]): Request {
  const form = new FormData()
  for (const [name, value, filename] of parts) {
    if (typeof value === 'string') form.append(name, value)
    else form.append(name, value, filename ?? name)
  }
  return new Request('http://x/v1/models/test-model/fine-tune', { method: 'POST', body: form })
}

async function failure(parts: Part[] | Request): Promise<string> {
  try {
    await parseFineTuneBody(parts instanceof Request ? parts : request(parts), model.info, config)
  } catch (error) {
    if (error instanceof ApiError || error instanceof OptionError || error instanceof ShapeError || error instanceof InputError) return `${error.code}: ${error.message}`
    throw error
  }
  return 'ok'
}

const labels: Part = ['labels', JSON.stringify(['cat', 'dog', 2, 'cat', 'dog', 'eel'])]

describe('parseFineTuneBody', () => {
  it('reads float32 examples, labels (names or indices) and options given as a JSON file part', async () => {
    const parsed = await parseFineTuneBody(request([labels, ['options', new Blob(['{"epochs": 30, "lambda": 0, "classes": {"mode": "keep"}}']), 'o.json'], ['inputs', f32(inputs)]]), model.info, config)
    expect(parsed.labels).toStrictEqual(['cat', 'dog', 2, 'cat', 'dog', 'eel'])
    expect(parsed.options).toStrictEqual({ epochs: 30, lambda: 0, classes: { mode: 'keep' } })
    expect(parsed.examples).toBe('float32')
    expect(Array.from(parsed.input as Float32Array)).toStrictEqual(Array.from(inputs))
    // the parsed examples are what the model sees: same features as the original values
    expect((await model.features(parsed.input)).features).toStrictEqual((await model.features(inputs)).features)
  })

  it('reads image parts in order, checking headers and pixels before decoding', async () => {
    const parsed = await parseFineTuneBody(request([['labels', '["cat", "dog"]'], ['image', png(8, 8)], ['image', png(10, 10)]]), model.info, config)
    expect(parsed.examples).toBe('images')
    expect((parsed.input as Uint8Array[]).map((bytes) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(16))).toStrictEqual([8, 10])
    expect(await failure([['labels', '["cat"]'], ['image', png(11, 10)]])).toBe('image_too_large: image is 11 x 10 = 110 pixels, over MAX_PIXELS = 100')
    expect(await failure([['labels', '["cat", "dog"]'], ['image', png(8, 8)]])).toBe('shape_error: image parts: expected 2 (one per label), received 1')
  })

  it('refuses by media type and size before reading the parts', async () => {
    const json = new Request('http://x/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(await failure(json)).toMatch(/^unsupported_media_type: fine-tuning takes a multipart\/form-data body/)
    expect(await failure([labels, ['inputs', f32(new Float32Array(2100))]])).toMatch(/^payload_too_large: body of at least \d+ bytes is over the limit of 8192 bytes$/)
  })

  it('names the first problem of the parts, labels and options', async () => {
    expect(await failure([['inputs', f32(inputs)]])).toBe('invalid_request: the labels part is missing: a JSON array with one label per example')
    expect(await failure([labels, labels, ['inputs', f32(inputs)]])).toBe('invalid_request: the labels part is given 2 times (at most once)')
    expect(await failure([labels, ['weights', f32(inputs)]])).toBe('invalid_request: unknown part "weights"; the parts are labels, options, inputs, image')
    expect(await failure([['labels', '[cat]'], ['inputs', f32(inputs)]])).toMatch(/^invalid_json: the labels part is not valid UTF-8 JSON/)
    expect(await failure([['labels', '[]'], ['inputs', f32(inputs)]])).toBe('invalid_request: labels: no labels: fine-tuning needs at least one labelled example')
    expect(await failure([['labels', '["cat", -1]'], ['inputs', f32(inputs)]])).toMatch(/^invalid_request: labels\.1: /)
    expect(await failure([['labels', JSON.stringify(Array(7).fill('cat'))], ['inputs', f32(inputs)]])).toBe('batch_too_large: 7 examples are over MAX_FINE_TUNE_EXAMPLES = 6')
    expect(await failure([labels, ['options', '{"epochs": 41}'], ['inputs', f32(inputs)]])).toBe('option_error: option epochs: must be at most MAX_FINE_TUNE_EPOCHS = 40 on this deployment')
    expect(await failure([labels, ['options', '{"samples": 4}'], ['inputs', f32(inputs)]])).toMatch(/^invalid_request: options\.samples: Invalid key/)
    expect(await failure([labels, ['options', '{"optimizer": "sgd", "momentum": 1}'], ['inputs', f32(inputs)]])).toMatch(/^invalid_request: options\.momentum: Invalid value: Expected <1/)
    expect(await failure([labels, ['options', '{"momentum": 0.5}'], ['inputs', f32(inputs)]])).toBe('option_error: option momentum: applies to optimizer sgd only (Adam has its own moments)')
    expect(await failure([labels, ['options', '{"classes": {"mode": "extend"}}'], ['inputs', f32(inputs)]])).toMatch(/^invalid_request: options\.classes\.labels/)
    expect(await failure([labels, ['options', '{"name": "Bad Name"}'], ['inputs', f32(inputs)]])).toMatch(/^invalid_request: options\.name: model names are/)
  })

  it('needs exactly one kind of examples, of the right size', async () => {
    expect(await failure([labels])).toBe('invalid_request: send the examples as one inputs part (little-endian float32) or as image parts, not both and not neither')
    expect(await failure([labels, ['inputs', f32(inputs)], ['image', png(8, 8)]])).toMatch(/^invalid_request: send the examples as one inputs part/)
    expect(await failure([labels, ['inputs', 'not a file']])).toBe('invalid_request: the inputs part must be a file part (binary), not a text field')
    expect(await failure([labels, ['inputs', f32(inputs.subarray(0, 5 * 64))]])).toBe(
      'shape_error: inputs: expected 1536 bytes (6 examples, one per label, of 64 little-endian float32 values), received 1280 bytes',
    )
  })

  it('caps the default epochs too: a deployment below the SDK default of 40 must be given epochs', async () => {
    const low = workerConfig({ MAX_FINE_TUNE_EPOCHS: '10' })
    const body = () => request([labels, ['inputs', f32(inputs)]])
    await expect(parseFineTuneBody(body(), model.info, low)).rejects.toThrow('option epochs: must be at most MAX_FINE_TUNE_EPOCHS = 10 on this deployment (the default, 40)')
    const given = request([labels, ['options', '{"epochs": 10}'], ['inputs', f32(inputs)]])
    expect((await parseFineTuneBody(given, model.info, low)).options).toStrictEqual({ epochs: 10 })
  })
})
