import * as tf from '@tensorflow/tfjs-core'
import { InputError, ShapeError } from '../errors.js'
import type { InputSpec } from '../format/manifest.js'
import { imageToInput } from '../image/preprocess-image.js'

/**
 * What `predict` and `features` accept:
 * - `Float32Array`: a flat batch, B x (product of the input shape) values, item-major, already in
 *   model space (no preprocessing applied);
 * - `number[][]`: B items, each the flattened input (model space);
 * - a float32 `tf.Tensor` of shape [B, ...input shape];
 * - `Uint8Array` / `ArrayBuffer`: ONE encoded PNG or JPEG image, decoded and preprocessed by the
 *   bundle's image spec; an array of them: several images.
 */
export type ModelInput = Float32Array | readonly (readonly number[])[] | tf.Tensor | Uint8Array | ArrayBuffer | readonly (Uint8Array | ArrayBuffer)[]

/** Limits applied while turning inputs into a batch. */
export interface InputLimits {
  /** Most items per call. */
  readonly maxBatch: number
  /** Most decoded pixels per image. */
  readonly maxPixels: number
}

/** A validated batch in model space. */
export interface InputBatch {
  readonly data: Float32Array
  readonly batch: number
}

/**
 * Validates any {@link ModelInput} and returns the flat float32 batch the backbone runs on:
 * lengths and shapes against the bundle's input spec, finiteness of every value, the batch cap.
 * Images are decoded and preprocessed by the SDK's one image path (`imageToInput`).
 *
 * @throws {ShapeError} for a wrong length or shape; {InputError} for NaN / Infinity, an empty
 *   batch, a batch over the cap, a wrong dtype, a vector model given images, or an undecodable image.
 * @example
 * ```ts
 * const { data, batch } = toInputBatch([[0, 0.5, ...]], info.input, { maxBatch: 256, maxPixels: 4e6 })
 * ```
 */
export function toInputBatch(input: ModelInput, spec: InputSpec, limits: InputLimits): InputBatch {
  const size = spec.shape.reduce((a, b) => a * b, 1)
  const shapeText = `[${spec.shape.join(', ')}]`
  let data: Float32Array
  if (input instanceof Float32Array) {
    if (input.length === 0 || input.length % size !== 0) {
      throw new ShapeError('input', `a Float32Array of B x ${size} values (items of shape ${shapeText})`, `${input.length} values`)
    }
    data = input
  } else if (input instanceof tf.Tensor) {
    if (input.dtype !== 'float32') throw new InputError(`input tensor: expected dtype float32, received ${input.dtype}`, { expected: 'float32', received: input.dtype })
    if (input.rank !== spec.shape.length + 1 || input.shape.slice(1).some((d, i) => d !== spec.shape[i])) {
      throw new ShapeError('input tensor', `shape [B, ${spec.shape.join(', ')}]`, `[${input.shape.join(', ')}]`)
    }
    data = input.dataSync() as Float32Array
  } else if (input instanceof Uint8Array || input instanceof ArrayBuffer) {
    data = images([input], spec, limits)
  } else if (Array.isArray(input)) {
    const items = input as readonly unknown[]
    if (items.length === 0) throw new InputError('input: the batch is empty (expected at least one item)')
    if (items.every((item) => item instanceof Uint8Array || item instanceof ArrayBuffer)) {
      data = images(items, spec, limits)
    } else {
      data = fromRows(items, size, shapeText)
    }
  } else {
    throw new InputError(`input: expected a Float32Array, number[][], a float32 tf.Tensor or encoded PNG/JPEG bytes; received ${describe(input)}`, {
      received: describe(input),
    })
  }
  const batch = data.length / size
  if (batch === 0) throw new InputError('input: the batch is empty (expected at least one item)')
  if (batch > limits.maxBatch) throw new InputError(`input: batch of ${batch} items is over the limit of ${limits.maxBatch}`, { batch, maxBatch: limits.maxBatch })
  assertFinite(data, size)
  return { data, batch }
}

function fromRows(items: readonly unknown[], size: number, shapeText: string): Float32Array {
  const data = new Float32Array(items.length * size)
  items.forEach((item, i) => {
    if (!Array.isArray(item)) throw new InputError(`input item ${i}: expected an array of ${size} numbers, received ${describe(item)}`)
    if (item.length !== size) throw new ShapeError(`input item ${i}`, `${size} values (shape ${shapeText} flattened)`, `${item.length} values`)
    for (let j = 0; j < size; j++) {
      const v: unknown = item[j]
      if (typeof v !== 'number') throw new InputError(`input item ${i}, value ${j}: expected a number, received ${describe(v)}`)
      data[i * size + j] = v
    }
  })
  return data
}

function images(items: readonly (Uint8Array | ArrayBuffer)[], spec: InputSpec, limits: InputLimits): Float32Array {
  if (spec.image === null) throw new InputError('input: this model takes numeric vectors, not images', { kind: spec.kind })
  if (items.length > limits.maxBatch) throw new InputError(`input: batch of ${items.length} images is over the limit of ${limits.maxBatch}`)
  const size = spec.shape.reduce((a, b) => a * b, 1)
  const data = new Float32Array(items.length * size)
  items.forEach((item, i) => {
    const bytes = item instanceof Uint8Array ? item : new Uint8Array(item)
    try {
      data.set(imageToInput(bytes, spec.image as NonNullable<InputSpec['image']>, { maxPixels: limits.maxPixels }), i * size)
    } catch (error) {
      if (error instanceof InputError && items.length > 1) throw new InputError(`image ${i}: ${error.message}`, { ...error.details, item: i })
      throw error
    }
  })
  return data
}

function assertFinite(data: Float32Array, size: number): void {
  for (let k = 0; k < data.length; k++) {
    const v = data[k] as number
    if (!Number.isFinite(v)) {
      throw new InputError(`input item ${Math.floor(k / size)}, value ${k % size}: expected a finite number, received ${v}`, {
        item: Math.floor(k / size),
        index: k % size,
      })
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (ArrayBuffer.isView(value)) return value.constructor.name
  if (Array.isArray(value)) return `an array of ${value.length}`
  return typeof value
}
