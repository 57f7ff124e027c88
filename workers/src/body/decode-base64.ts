import { ApiError } from '../errors.js'

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * Decodes standard padded base64 (RFC 4648 section 4) through `atob`; anything else (whitespace,
 * base64url, missing padding) is refused. (The SDK has the same helper but does not export it.)
 *
 * @throws {ApiError} `invalid_request` naming `where`.
 * @example
 * ```ts
 * decodeBase64('AACAPw==', 'tensor.data') // Uint8Array [0, 0, 128, 63]
 * ```
 */
export function decodeBase64(text: string, where: string): Uint8Array {
  if (!BASE64_PATTERN.test(text)) throw new ApiError('invalid_request', `${where}: not standard padded base64 (A-Z a-z 0-9 + /, = padding, no whitespace)`, { details: { path: where } })
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
