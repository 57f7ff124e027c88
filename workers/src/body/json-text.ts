import { ApiError } from '../errors.js'

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })

/**
 * Parses UTF-8 JSON bytes (or text already decoded), refusing invalid UTF-8 and invalid JSON.
 *
 * @throws {ApiError} `invalid_json` (400): `<what> is not valid UTF-8 JSON: <reason>`.
 * @example
 * ```ts
 * parseJsonText(new TextEncoder().encode('[1, 2]'), 'the labels part') // [1, 2]
 * ```
 */
export function parseJsonText(source: Uint8Array | string, what: string): unknown {
  try {
    return JSON.parse(typeof source === 'string' ? source : utf8.decode(source))
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ApiError('invalid_json', `${what} is not valid UTF-8 JSON: ${reason.slice(0, 200)}`)
  }
}
