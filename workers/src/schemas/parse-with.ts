import * as v from 'valibot'
import type { ApiErrorCode } from '../error-catalogue.js'
import { ApiError } from '../errors.js'

/**
 * Parses `value` with a valibot schema, stopping at the first issue (bounded work on hostile
 * input), and throws an {@link ApiError} naming where the issue is (`inputs.0.3: Invalid type ...`).
 *
 * @throws {ApiError} with `code` (default `invalid_request`) and `details.path`.
 * @example
 * ```ts
 * const body = parseWith(rowsBodySchema, json, 'body')
 * ```
 */
export function parseWith<S extends v.GenericSchema>(schema: S, value: unknown, where: string, code: ApiErrorCode = 'invalid_request'): v.InferOutput<S> {
  const result = v.safeParse(schema, value, { abortEarly: true })
  if (result.success) return result.output
  const issue = result.issues[0]
  const path = v.getDotPath(issue)
  const at = path === null ? where : `${where}.${path}`
  throw new ApiError(code, `${at}: ${issue.message}`, { details: { path: at } })
}
