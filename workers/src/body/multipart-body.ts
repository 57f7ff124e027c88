import { ApiError } from '../errors.js'

/** One part of a multipart/form-data body: a text field (string) or a file part (File). */
export type FormPart = readonly [name: string, value: File | string]

/**
 * The parts of a `multipart/form-data` body, in form order, parsed by the runtime's own
 * `Response.formData()` (workerd's in a Worker).
 *
 * @throws {ApiError} `invalid_request` for a malformed body or one without parts.
 * @example
 * ```ts
 * const parts = await formParts(bytes, c.req.header('content-type') ?? '')
 * ```
 */
export async function formParts(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<FormPart[]> {
  let form: FormData
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ApiError('invalid_request', `malformed multipart/form-data body: ${reason.slice(0, 200)}`)
  }
  const parts: FormPart[] = []
  form.forEach((value, name) => parts.push([name, value]))
  if (parts.length === 0) throw new ApiError('invalid_request', 'the multipart body has no parts')
  return parts
}

/**
 * The image files of a `multipart/form-data` body, in form order. Every part must be a file part
 * (text fields are refused: options go in the query); at most `maxFiles` parts are read.
 *
 * @throws {ApiError} `invalid_request` for a malformed body, a text part or no files;
 *   `batch_too_large` (413) for more than `maxFiles` parts.
 * @example
 * ```ts
 * const images = await multipartImages(bytes, c.req.header('content-type'), 64)
 * ```
 */
export async function multipartImages(bytes: Uint8Array<ArrayBuffer>, contentType: string, maxFiles: number): Promise<Uint8Array[]> {
  const parts = await formParts(bytes, contentType)
  if (parts.length > maxFiles) {
    throw new ApiError('batch_too_large', `${parts.length} parts are over MAX_BATCH = ${maxFiles}`, { details: { batch: parts.length, maxBatch: maxFiles } })
  }
  const images: Uint8Array[] = []
  for (const [name, value] of parts) {
    if (typeof value === 'string') {
      throw new ApiError('invalid_request', `multipart part ${JSON.stringify(name.slice(0, 64))} is a text field; send images as file parts and options in the query`)
    }
    images.push(new Uint8Array(await value.arrayBuffer()))
  }
  return images
}
