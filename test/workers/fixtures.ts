import { readBundle, writeBundle, type BundlePartInput, type Manifest } from '@sd-dropout/sdk'
import { encode as encodePng } from 'fast-png'
import { encode as encodeJpeg } from 'jpeg-js'
import { expect } from 'vitest'

/**
 * Fixtures shared by the worker tests: bundles re-written from a bundle (renamed, signed), encoded
 * images, request bodies, and the parity comparison.
 */

/** Re-writes a bundle with a new manifest name and/or an Ed25519 signature (the parts are copied unchanged). */
export async function rewriteBundle(bytes: Uint8Array, options: { name?: string; signingKey?: CryptoKey } = {}): Promise<Uint8Array> {
  const bundle = await readBundle(bytes)
  const parts: BundlePartInput[] = bundle.partNames
    .filter((name) => name !== 'manifest')
    .map((name) => {
      const info = bundle.part(name)
      if (info.dtype === 'float32') return { name, data: bundle.float32(name).slice(), shape: info.shape }
      if (info.dtype === 'json') return { name, data: bundle.json(name) as BundlePartInput['data'] }
      return { name, data: bundle.bytes(name).slice(), ...(info.shape.length > 0 ? { shape: info.shape } : {}) }
    })
  const manifest: Manifest = { ...bundle.manifest, ...(options.name === undefined ? {} : { name: options.name }) }
  return writeBundle({ manifest, parts }, options.signingKey === undefined ? {} : { signingKey: options.signingKey })
}

/** A gray PNG of `width` x `height` whose pixels come from `values` in [0, 1). */
export function grayPng(values: ArrayLike<number>, width: number, height: number): Uint8Array<ArrayBuffer> {
  const data = Uint8Array.from({ length: width * height }, (_, i) => Math.round((values[i] ?? 0) * 255))
  return new Uint8Array(encodePng({ width, height, data, channels: 1, depth: 8 }))
}

/** An RGB JPEG of `width` x `height` from gray `values` in [0, 1). */
export function grayJpeg(values: ArrayLike<number>, width: number, height: number): Uint8Array<ArrayBuffer> {
  const data = new Uint8Array(width * height * 4)
  for (let i = 0; i < width * height; i++) data.fill(Math.round((values[i] ?? 0) * 255), 4 * i, 4 * i + 3).fill(255, 4 * i + 3, 4 * i + 4)
  return new Uint8Array(encodeJpeg({ width, height, data }, 90).data)
}

/** Standard padded base64 of little-endian float32 values. */
export function float32Base64(values: Float32Array): string {
  let binary = ''
  for (const byte of new Uint8Array(values.buffer, values.byteOffset, values.byteLength)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** `number[][]` rows of a flat batch. */
export function rows(values: Float32Array, size: number): number[][] {
  return Array.from({ length: values.length / size }, (_, i) => Array.from(values.subarray(i * size, (i + 1) * size)))
}

/** A multipart/form-data body of image files (form order = batch order). */
export function imageForm(images: readonly Uint8Array[], type = 'image/png'): FormData {
  const form = new FormData()
  images.forEach((bytes, i) => form.append(`image${i}`, new Blob([bytes.slice()], { type }), `${i}.${type === 'image/png' ? 'png' : 'jpg'}`))
  return form
}

/** Parity tolerance of the issue: |a - b| <= 1e-5 + 1e-5 |b|. */
export function closeTo(actual: number, expected: number): boolean {
  return Math.abs(actual - expected) <= 1e-5 + 1e-5 * Math.abs(expected)
}

/**
 * Asserts two JSON values are equal, numbers within {@link closeTo} (strings, booleans, nulls and
 * structure exactly); the message names the first differing path. Returns the largest |a - b|.
 */
export function expectClose(actual: unknown, expected: unknown, path = '$'): number {
  if (typeof expected === 'number') {
    expect(typeof actual, path).toBe('number')
    expect(closeTo(actual as number, expected), `${path}: ${String(actual)} vs ${expected}`).toBe(true)
    return Math.abs((actual as number) - expected)
  }
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual) && actual.length === expected.length, `${path}: length`).toBe(true)
    return Math.max(0, ...expected.map((value, i) => expectClose((actual as unknown[])[i], value, `${path}[${i}]`)))
  }
  if (typeof expected === 'object' && expected !== null) {
    expect(typeof actual === 'object' && actual !== null, path).toBe(true)
    expect(Object.keys(actual as object).sort(), `${path}: keys`).toStrictEqual(Object.keys(expected).sort())
    return Math.max(0, ...Object.entries(expected).map(([key, value]) => expectClose((actual as Record<string, unknown>)[key], value, `${path}.${key}`)))
  }
  expect(actual, path).toStrictEqual(expected)
  return 0
}

/** The JSON body of a response, typed loosely for assertions. */
export async function json(response: Response): Promise<Record<string, unknown>> {
  expect(response.headers.get('content-type') ?? '').toMatch(/^application\/json/)
  return (await response.json()) as Record<string, unknown>
}

/** The parts of a fine-tuning request (`POST /v1/models/:name/fine-tune`), any of them left out to test refusals. */
export interface FineTuneParts {
  /** JSON-encoded into the `labels` text field (a string is sent as it is). */
  readonly labels?: unknown
  /** JSON-encoded into an `options` file part of type application/json (a string is sent as it is). */
  readonly options?: unknown
  /** The `inputs` file part: little-endian float32 examples. */
  readonly inputs?: Float32Array
  /** One `image` file part each, PNG. */
  readonly images?: readonly Uint8Array[]
}

/** A multipart/form-data fine-tuning body: `labels` as a text field, `options` as a JSON file part, `inputs` or `image` file parts. */
export function fineTuneForm(parts: FineTuneParts): FormData {
  const form = new FormData()
  const encode = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value))
  if (parts.labels !== undefined) form.append('labels', encode(parts.labels))
  if (parts.options !== undefined) form.append('options', new Blob([encode(parts.options)], { type: 'application/json' }), 'options.json')
  if (parts.inputs !== undefined) form.append('inputs', new Blob([parts.inputs.slice().buffer], { type: 'application/octet-stream' }), 'inputs.f32')
  parts.images?.forEach((png, i) => form.append('image', new Blob([png.slice()], { type: 'image/png' }), `${i}.png`))
  return form
}
