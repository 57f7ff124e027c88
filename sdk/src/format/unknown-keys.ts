/**
 * Finds keys a schema dropped: compares a raw JSON value with what a valibot schema returned for
 * it (valibot's `object` strips keys it does not know).
 */

/**
 * The dot path of the first own key of `input` (depth-first, in key order) that `parsed` lacks, or
 * null when `parsed` kept every key. Arrays are compared element by element.
 *
 * @example
 * ```ts
 * unknownKeyPath({ a: { b: 1, c: 2 } }, { a: { b: 1 } }) // 'a.c'
 * unknownKeyPath([{ x: 1 }], [{ x: 1 }])                   // null
 * ```
 */
export function unknownKeyPath(input: unknown, parsed: unknown, path = ''): string | null {
  if (Array.isArray(input)) {
    if (!Array.isArray(parsed)) return null
    for (let i = 0; i < input.length; i++) {
      const found = unknownKeyPath(input[i], parsed[i], join(path, String(i)))
      if (found !== null) return found
    }
    return null
  }
  if (!isObject(input) || !isObject(parsed)) return null
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(parsed, key)) return join(path, key)
    const found = unknownKeyPath(input[key], parsed[key], join(path, key))
    if (found !== null) return found
  }
  return null
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}
