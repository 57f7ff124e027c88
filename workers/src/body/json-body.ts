import { decodeBase64, type ModelInfo, type PredictOptions } from '@sd-dropout/sdk'
import type { RequestLimits } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { rowsBodySchema, tensorBodySchema } from '../schemas/predict-body.js'
import { parseWith } from '../schemas/parse-with.js'
import { parseJsonText } from './json-text.js'
import { tensorInput, tensorLayout, type ParsedInput } from './tensor-input.js'

/** A JSON body turned into SDK input, plus the options it carried. */
export interface ParsedJsonBody extends ParsedInput {
  readonly options: PredictOptions
}

/**
 * Parses a JSON predict body: `{ "inputs": number[][] }` or `{ "tensor": { "shape", "data" } }`,
 * each with optional `samples`, `seed`, `oodScore`. Rows are handed to the SDK as they are (it
 * checks their lengths and finiteness); tensors are checked against the model before decoding.
 *
 * @throws {ApiError} `invalid_json`, `invalid_request`, `batch_too_large`; {ShapeError} for a wrong tensor shape or byte count.
 * @example
 * ```ts
 * parseJsonBody(new TextEncoder().encode('{"inputs":[[0,1]]}'), info, limits)
 * ```
 */
export function parseJsonBody(bytes: Uint8Array, info: ModelInfo, limits: RequestLimits): ParsedJsonBody {
  const json = parseJsonText(bytes, 'the body')
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ApiError('invalid_request', 'body: expected a JSON object { "inputs": [[...]] } or { "tensor": { "shape", "data" } }', { details: { path: 'body' } })
  }
  if ('tensor' in json) {
    const { tensor, ...options } = parseWith(tensorBodySchema, json, 'body')
    const layout = tensorLayout(tensor.shape, info, limits, 'tensor')
    const bytes = decodeBase64(tensor.data)
    if (bytes === null) {
      throw new ApiError('invalid_request', 'body.tensor.data: not standard padded base64 (A-Z a-z 0-9 + /, = padding, no whitespace)', { details: { path: 'body.tensor.data' } })
    }
    return { ...tensorInput(layout, bytes, 'tensor.data'), options }
  }
  const { inputs, ...options } = parseWith(rowsBodySchema, json, 'body')
  if (inputs.length > limits.maxBatch) {
    throw new ApiError('batch_too_large', `batch of ${inputs.length} items is over MAX_BATCH = ${limits.maxBatch}`, { details: { batch: inputs.length, maxBatch: limits.maxBatch } })
  }
  return { input: inputs, batch: inputs.length, options }
}
