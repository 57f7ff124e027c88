import type { ModelInfo, PredictOptions } from '@sd-dropout/sdk'
import type { RequestLimits } from '../config/worker-config.js'
import { ApiError } from '../errors.js'
import { imageInput } from './image-input.js'
import { parseJsonBody } from './json-body.js'
import { bodyKind } from './media-type.js'
import { multipartImages } from './multipart-body.js'
import { readBody } from './read-body.js'
import { parseShapeHeader, tensorInput, tensorLayout, type ParsedInput } from './tensor-input.js'

/** A request body turned into SDK input, with the options a JSON body carried (empty for other kinds). */
export interface ParsedRequestBody extends ParsedInput {
  readonly options: PredictOptions
}

/**
 * Reads and parses a predict body of any kind, by Content-Type:
 * - `application/json`: `{ "inputs": number[][] }` or `{ "tensor": { "shape", "data": base64 } }`;
 * - `application/octet-stream`: raw little-endian float32, shape in the `x-shape` header;
 * - `image/png`, `image/jpeg`: one encoded image;
 * - `multipart/form-data`: several images, one file part each.
 * The body size cap applies to every kind, then the batch cap, then (images) the pixel cap.
 *
 * @throws {ApiError} / SDK errors, all mapped to 4xx by `onError`.
 * @example
 * ```ts
 * const { input, options } = await parseModelInput(c.req.raw, model.info, config.limits)
 * const predictions = await model.predict(input, options)
 * ```
 */
export async function parseModelInput(request: Request, info: ModelInfo, limits: RequestLimits): Promise<ParsedRequestBody> {
  const contentType = request.headers.get('content-type')
  const kind = bodyKind(contentType)
  const shapeHeader = kind === 'octet-stream' ? parseShapeHeader(request.headers.get('x-shape')) : null
  const layout = shapeHeader === null ? null : tensorLayout(shapeHeader, info, limits, 'x-shape')
  const bytes = await readBody(request, limits.maxBodyBytes)
  if (bytes.byteLength === 0) throw new ApiError('invalid_request', 'the body is empty')
  switch (kind) {
    case 'json':
      return parseJsonBody(bytes, info, limits)
    case 'octet-stream':
      return { ...tensorInput(layout as NonNullable<typeof layout>, bytes, 'body'), options: {} }
    case 'png':
    case 'jpeg':
      return { ...imageInput([bytes], info, limits, kind), options: {} }
    case 'multipart':
      return { ...imageInput(await multipartImages(bytes, contentType ?? '', limits.maxBatch), info, limits, null), options: {} }
  }
}
