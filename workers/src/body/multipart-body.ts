import { ApiError } from '../errors.js'

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
  let form: FormData
  try {
    form = await new Response(bytes, { headers: { 'content-type': contentType } }).formData()
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ApiError('invalid_request', `malformed multipart/form-data body: ${reason.slice(0, 200)}`)
  }
  const entries: [string, File | string][] = []
  form.forEach((value, name) => entries.push([name, value]))
  if (entries.length === 0) throw new ApiError('invalid_request', 'the multipart body has no parts; send one file part per image')
  if (entries.length > maxFiles) {
    throw new ApiError('batch_too_large', `${entries.length} parts are over MAX_BATCH = ${maxFiles}`, { details: { batch: entries.length, maxBatch: maxFiles } })
  }
  const images: Uint8Array[] = []
  for (const [name, value] of entries) {
    if (typeof value === 'string') {
      throw new ApiError('invalid_request', `multipart part ${JSON.stringify(name.slice(0, 64))} is a text field; send images as file parts and options in the query`)
    }
    images.push(new Uint8Array(await value.arrayBuffer()))
  }
  return images
}
