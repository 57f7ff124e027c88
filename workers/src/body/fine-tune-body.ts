import { bytesToFloat32, OptionError, resolveFineTuneOptions, ShapeError, type ModelInfo, type ModelInput } from '@sd-dropout/sdk'
import type { WorkerConfig } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { fineTuneLabelsSchema, fineTuneOptionsSchema, type FineTuneRequestOptions } from '../schemas/fine-tune-options.js'
import { parseWith } from '../schemas/parse-with.js'
import { imageInput } from './image-input.js'
import { parseJsonText } from './json-text.js'
import { bodyKind } from './media-type.js'
import { formParts, type FormPart } from './multipart-body.js'
import { readBody } from './read-body.js'

/** A parsed fine-tuning request: N examples, N labels and the options. */
export interface FineTuneRequest {
  /** The examples: N x input-size little-endian float32 values (model space), or N encoded images. */
  readonly input: ModelInput
  /** One per example: a label name or a class index of the (new) label set. */
  readonly labels: readonly (string | number)[]
  readonly options: FineTuneRequestOptions
  /** How the examples came. */
  readonly examples: 'float32' | 'images'
}

/** The part names of a fine-tuning body. */
export const FINE_TUNE_PARTS = ['labels', 'options', 'inputs', 'image'] as const

/**
 * Reads and checks the body of `POST /v1/models/:name/fine-tune`, a `multipart/form-data` body of:
 * - `labels` (required, JSON): one label per example, a label name or class index;
 * - `options` (optional, JSON): fine-tuning options (`fineTuneOptionsSchema`);
 * - the examples, either `inputs` (one file part: N x input-size little-endian float32 values,
 *   model space, item-major; N is the number of labels) or `image` (N file parts, PNG or JPEG, in
 *   label order, preprocessed by the bundle's image spec like predict).
 * Checks run cheapest first: media type, body size (MAX_FINE_TUNE_BODY_BYTES), parts, labels and
 * their count (MAX_FINE_TUNE_EXAMPLES), options and the epochs (MAX_FINE_TUNE_EPOCHS, after the
 * SDK's defaults), then the examples (byte count, image headers and pixels).
 *
 * @throws {ApiError} `unsupported_media_type`, `payload_too_large`, `invalid_request`,
 *   `invalid_json`, `batch_too_large`, `image_too_large`; {OptionError} for options the SDK
 *   refuses or epochs over the cap; {ShapeError} when examples and labels differ in number.
 * @example
 * ```ts
 * const { input, labels, options } = await parseFineTuneBody(c.req.raw, model.info, c.var.config)
 * ```
 */
export async function parseFineTuneBody(request: Request, info: ModelInfo, config: WorkerConfig): Promise<FineTuneRequest> {
  const contentType = request.headers.get('content-type')
  if (bodyKind(contentType) !== 'multipart') {
    throw new ApiError('unsupported_media_type', 'fine-tuning takes a multipart/form-data body (parts labels, options, and inputs or image)', { details: { accepted: ['multipart/form-data'] } })
  }
  const limits = config.fineTune
  const bytes = await readBody(request, limits.maxBodyBytes)
  if (bytes.byteLength === 0) throw new ApiError('invalid_request', 'the body is empty')
  const parts = byName(await formParts(bytes, contentType ?? ''))

  const labelsPart = single(parts, 'labels')
  if (labelsPart === undefined) throw new ApiError('invalid_request', 'the labels part is missing: a JSON array with one label per example', { details: { path: 'labels' } })
  const labels = parseWith(fineTuneLabelsSchema, parseJsonText(await text(labelsPart), 'the labels part'), 'labels')
  if (labels.length > limits.maxExamples) {
    throw new ApiError('batch_too_large', `${labels.length} examples are over MAX_FINE_TUNE_EXAMPLES = ${limits.maxExamples}`, { details: { examples: labels.length, maxExamples: limits.maxExamples } })
  }

  const optionsPart = single(parts, 'options')
  const options = optionsPart === undefined ? {} : parseWith(fineTuneOptionsSchema, parseJsonText(await text(optionsPart), 'the options part'), 'options')
  const { epochs } = resolveFineTuneOptions(options, { name: info.name, dropoutRate: info.dropoutRate, targetAcceptance: info.ood.targetAcceptance, targetRisk: info.selective?.targetRisk ?? 0.01 })
  if (epochs > limits.maxEpochs) {
    const given = options.epochs === undefined ? ` (the default, ${epochs})` : ''
    throw new OptionError('epochs', `must be at most MAX_FINE_TUNE_EPOCHS = ${limits.maxEpochs} on this deployment${given}`, { epochs, maxEpochs: limits.maxEpochs })
  }

  const inputs = single(parts, 'inputs')
  const images = parts.get('image') ?? []
  if ((inputs === undefined) === (images.length === 0)) {
    throw new ApiError('invalid_request', 'send the examples as one inputs part (little-endian float32) or as image parts, not both and not neither')
  }
  if (inputs !== undefined) return { input: float32Examples(await fileBytes(inputs, 'inputs'), labels.length, info), labels, options, examples: 'float32' }
  if (images.length > limits.maxExamples) {
    throw new ApiError('batch_too_large', `${images.length} images are over MAX_FINE_TUNE_EXAMPLES = ${limits.maxExamples}`, { details: { examples: images.length, maxExamples: limits.maxExamples } })
  }
  if (images.length !== labels.length) throw new ShapeError('image parts', `${labels.length} (one per label)`, `${images.length}`)
  const encoded = await Promise.all(images.map((part) => fileBytes(part, 'image')))
  const { input } = imageInput(encoded, info, { ...config.limits, maxBatch: limits.maxExamples }, null)
  return { input, labels, options, examples: 'images' }
}

/** The parts grouped by name; unknown names are refused. */
function byName(parts: readonly FormPart[]): Map<string, (File | string)[]> {
  const out = new Map<string, (File | string)[]>()
  for (const [name, value] of parts) {
    if (!(FINE_TUNE_PARTS as readonly string[]).includes(name)) {
      throw new ApiError('invalid_request', `unknown part ${JSON.stringify(name.slice(0, 64))}; the parts are ${FINE_TUNE_PARTS.join(', ')}`, { details: { path: name.slice(0, 64) } })
    }
    out.set(name, [...(out.get(name) ?? []), value])
  }
  return out
}

function single(parts: Map<string, (File | string)[]>, name: string): File | string | undefined {
  const values = parts.get(name) ?? []
  if (values.length > 1) throw new ApiError('invalid_request', `the ${name} part is given ${values.length} times (at most once)`, { details: { path: name } })
  return values[0]
}

async function text(part: File | string): Promise<Uint8Array | string> {
  return typeof part === 'string' ? part : new Uint8Array(await part.arrayBuffer())
}

async function fileBytes(part: File | string, name: string): Promise<Uint8Array<ArrayBuffer>> {
  if (typeof part === 'string') throw new ApiError('invalid_request', `the ${name} part must be a file part (binary), not a text field`, { details: { path: name } })
  return new Uint8Array(await part.arrayBuffer())
}

/** N examples of little-endian float32 values, N = the number of labels. */
function float32Examples(bytes: Uint8Array, count: number, info: ModelInfo): Float32Array {
  const expected = count * info.inputSize * 4
  if (bytes.byteLength !== expected) {
    throw new ShapeError('inputs', `${expected} bytes (${count} examples, one per label, of ${info.inputSize} little-endian float32 values)`, `${bytes.byteLength} bytes`)
  }
  return bytesToFloat32(bytes)
}
