import { ApiError } from '../errors.js'

/** The body kinds the predict and filter routes accept. */
export type BodyKind = 'json' | 'octet-stream' | 'png' | 'jpeg' | 'multipart'

const KINDS: Readonly<Record<string, BodyKind>> = {
  'application/json': 'json',
  'application/octet-stream': 'octet-stream',
  'image/png': 'png',
  'image/jpeg': 'jpeg',
  'multipart/form-data': 'multipart',
}

/** The accepted media types, for messages and the OpenAPI document. */
export const ACCEPTED_MEDIA_TYPES = Object.keys(KINDS)

/**
 * The body kind of a `Content-Type` header (media type only; parameters such as `charset` or the
 * multipart `boundary` are ignored here; case-insensitive).
 *
 * @throws {ApiError} `unsupported_media_type` (415) for a missing or unknown type.
 * @example
 * ```ts
 * bodyKind('application/json; charset=utf-8') // 'json'
 * ```
 */
export function bodyKind(contentType: string | null | undefined): BodyKind {
  const mediaType = (contentType ?? '').split(';', 1)[0]?.trim().toLowerCase() ?? ''
  const kind = KINDS[mediaType]
  if (kind === undefined) {
    const got = mediaType === '' ? 'no Content-Type' : `Content-Type ${JSON.stringify(mediaType.slice(0, 64))}`
    throw new ApiError('unsupported_media_type', `${got}; send one of ${ACCEPTED_MEDIA_TYPES.join(', ')}`, { details: { accepted: ACCEPTED_MEDIA_TYPES } })
  }
  return kind
}
