import { FormatError } from '../errors.js'

/**
 * JSON parts of a bundle: UTF-8 JSON text (RFC 8259) without a byte-order mark. The writer accepts
 * only values that survive `JSON.stringify` then `JSON.parse` unchanged, so what it writes is what
 * a reader gets back.
 */

/** Where a value stops being plain JSON and why. */
export interface JsonProblem {
  /** Dot path of the offending value (`(root)` for the value itself). */
  readonly path: string
  readonly reason: string
}

/**
 * The first place where `value` is not plain JSON, or null: only null, booleans, strings, finite
 * numbers, dense arrays and plain objects (prototype Object.prototype or null) whose values are
 * all of these, without cycles. (`-0` is allowed; JSON writes it as 0.)
 *
 * @example
 * ```ts
 * jsonValueProblem({ a: [1, 2] })          // null
 * jsonValueProblem({ a: [1, Number.NaN] }) // { path: 'a.1', reason: 'NaN is not a finite number' }
 * ```
 */
export function jsonValueProblem(value: unknown, path = '', ancestors: Set<object> = new Set()): JsonProblem | null {
  const here = path === '' ? '(root)' : path
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return null
  if (typeof value === 'number') return Number.isFinite(value) ? null : { path: here, reason: `${value} is not a finite number` }
  if (typeof value !== 'object') return { path: here, reason: `a ${typeof value} is not JSON` }
  if (ancestors.has(value)) return { path: here, reason: 'cycle' }
  const prototype: unknown = Object.getPrototypeOf(value)
  const isArray = Array.isArray(value)
  if (!isArray && prototype !== Object.prototype && prototype !== null) return { path: here, reason: `${Object.prototype.toString.call(value)} is not a plain object` }
  ancestors.add(value)
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  if (isArray && keys.length !== value.length) return { path: here, reason: 'arrays must be dense, without extra properties' }
  for (const key of keys) {
    const problem = jsonValueProblem(record[key], path === '' ? key : `${path}.${key}`, ancestors)
    if (problem !== null) return problem
  }
  ancestors.delete(value)
  return null
}

/**
 * UTF-8 JSON text of a value the caller checked with {@link jsonValueProblem}.
 *
 * @example
 * ```ts
 * encodeJson({ a: 1 }) // bytes of '{"a":1}'
 * ```
 */
export function encodeJson(value: unknown): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(JSON.stringify(value))
}

/**
 * Parses the UTF-8 JSON text of part `part`.
 *
 * @throws {FormatError} naming `part` for invalid UTF-8, a byte-order mark or invalid JSON.
 * @example
 * ```ts
 * decodeJson(bytes, 'backbone.topology') // the parsed value
 * ```
 */
export function decodeJson(bytes: Uint8Array, part: string): unknown {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch (error) {
    throw new FormatError(part, 'is not valid UTF-8', {}, { cause: error })
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new FormatError(part, `is not valid JSON (${String(error)})`, {}, { cause: error })
  }
}
