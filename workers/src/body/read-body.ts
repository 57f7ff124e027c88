import { ApiError } from '../errors.js'

/**
 * Reads a request body into bytes, refusing more than `maxBytes`: first by the declared
 * `Content-Length` (before reading anything), then by the bytes actually received (a chunked body,
 * or a caller that lies about its length). Nothing past the cap is kept: the rest of an oversize
 * body is discarded (at most 16 MiB, then the stream is cancelled).
 *
 * @throws {ApiError} `payload_too_large` (413) over the cap; `invalid_request` for a malformed Content-Length.
 * @example
 * ```ts
 * const bytes = await readBody(c.req.raw, config.limits.maxBodyBytes)
 * ```
 */
export async function readBody(request: Request, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = request.headers.get('content-length')
  if (declared !== null) {
    if (!/^\d{1,15}$/.test(declared.trim())) throw new ApiError('invalid_request', `Content-Length must be a decimal byte count, got ${JSON.stringify(declared.slice(0, 32))}`)
    const length = Number(declared.trim())
    if (length > maxBytes) throw tooLarge(length, maxBytes)
  }
  if (request.body === null) return new Uint8Array(0)
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const step: ReadableStreamReadResult<unknown> = await reader.read()
    if (step.done) break
    const value = step.value
    if (!(value instanceof Uint8Array)) throw new ApiError('invalid_request', 'the body stream yielded a non-byte chunk')
    total += value.byteLength
    if (total > maxBytes) {
      await discardRest(reader, total)
      throw tooLarge(total, maxBytes, 'at least ')
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

/** Past this many bytes in all, an oversize body is cancelled instead of read to its end. */
const DISCARD_LIMIT_BYTES = 16 * 1024 * 1024

/**
 * Reads and drops the rest of an oversize body (up to {@link DISCARD_LIMIT_BYTES} in all, then
 * cancels), so the connection ends cleanly: a half-read body left behind breaks the next request on
 * a kept-alive connection (seen with wrangler dev: 503 "Your worker restarted mid-request").
 */
async function discardRest(reader: ReadableStreamDefaultReader<unknown>, seen: number): Promise<void> {
  let total = seen
  while (total <= DISCARD_LIMIT_BYTES) {
    const step = await reader.read()
    if (step.done) return
    total += step.value instanceof Uint8Array ? step.value.byteLength : 1
  }
  await reader.cancel('body over the limit')
}

function tooLarge(length: number, maxBytes: number, qualifier = ''): ApiError {
  return new ApiError('payload_too_large', `body of ${qualifier}${length} bytes is over the limit of ${maxBytes} bytes`, { details: { maxBytes } })
}
