import { bytesToFloat32, ShapeError, type ModelInfo, type ModelInput } from '@sd-dropout/sdk'
import type { RequestLimits } from '../config/worker-config.js'
import { ApiError } from '../errors.js'

/** A request body turned into SDK input, with its item count. */
export interface ParsedInput {
  readonly input: ModelInput
  readonly batch: number
}

/** What a tensor shape means for a model: B items of `byteLength / B` bytes. */
export interface TensorLayout {
  readonly batch: number
  readonly byteLength: number
}

/**
 * Checks a tensor shape against the model before any data is decoded: it must be
 * `[B, ...input shape]` or `[B, input size]`, with 1 <= B <= maxBatch.
 *
 * @throws {ShapeError} for another shape; {ApiError} `batch_too_large` (413) over the cap.
 * @example
 * ```ts
 * tensorLayout([2, 28, 28, 1], info, limits, 'tensor') // { batch: 2, byteLength: 6272 }
 * ```
 */
export function tensorLayout(shape: readonly number[], info: ModelInfo, limits: RequestLimits, where: string): TensorLayout {
  const item = info.input.shape
  const [batch = 0, ...rest] = shape
  const matches = (rest.length === item.length && rest.every((d, i) => d === item[i])) || (rest.length === 1 && rest[0] === info.inputSize)
  if (!matches || batch < 1) {
    throw new ShapeError(`${where} shape`, `[B, ${item.join(', ')}] or [B, ${info.inputSize}] with B >= 1`, `[${shape.join(', ')}]`)
  }
  if (batch > limits.maxBatch) {
    throw new ApiError('batch_too_large', `batch of ${batch} items is over MAX_BATCH = ${limits.maxBatch}`, { details: { batch, maxBatch: limits.maxBatch } })
  }
  return { batch, byteLength: batch * info.inputSize * 4 }
}

/**
 * The SDK input of a checked tensor layout and its little-endian float32 bytes.
 *
 * @throws {ShapeError} when the byte count is not 4 x the number of values of the shape.
 * @example
 * ```ts
 * tensorInput(layout, bytes, 'tensor.data') // { input: Float32Array, batch }
 * ```
 */
export function tensorInput(layout: TensorLayout, bytes: Uint8Array, where: string): ParsedInput {
  if (bytes.byteLength !== layout.byteLength) {
    throw new ShapeError(where, `${layout.byteLength} bytes (${layout.byteLength / 4} little-endian float32 values)`, `${bytes.byteLength} bytes`)
  }
  return { input: bytesToFloat32(bytes), batch: layout.batch }
}

/**
 * Parses the `x-shape` header of a raw float32 body: comma-separated positive integers, optionally
 * in brackets (`1,28,28,1` or `[1, 28, 28, 1]`).
 *
 * @throws {ApiError} `invalid_request` when missing or malformed.
 * @example
 * ```ts
 * parseShapeHeader('[2, 784]') // [2, 784]
 * ```
 */
export function parseShapeHeader(header: string | null | undefined): number[] {
  if (header === null || header === undefined) throw new ApiError('invalid_request', 'application/octet-stream bodies need an x-shape header, e.g. x-shape: 1,28,28,1')
  const text = header.trim().replace(/^\[(.*)\]$/, '$1')
  if (!/^\s*\d{1,9}\s*(,\s*\d{1,9}\s*){1,7}$/.test(text)) {
    throw new ApiError('invalid_request', `x-shape must be 2 to 8 comma-separated integers, e.g. 1,28,28,1; got ${JSON.stringify(header.slice(0, 64))}`)
  }
  return text.split(',').map((part) => Number(part.trim()))
}
