import { InputError } from '../errors.js'
import type { BundleSource } from './load-model.js'

/**
 * Reads the runtime-independent bundle sources: bytes, an `ArrayBuffer`, a fetch `Response`, or
 * an http(s) URL (fetched). Returns null for anything else (a path), which runtimes handle.
 *
 * @throws {InputError} when a fetch fails or answers with an HTTP error.
 * @example
 * ```ts
 * const bytes = (await readCommonSource(source)) ?? (await readFile(source))
 * ```
 */
export async function readCommonSource(source: BundleSource): Promise<Uint8Array | null> {
  if (source instanceof Uint8Array) return source
  if (source instanceof ArrayBuffer) return new Uint8Array(source)
  if (typeof source !== 'string' && !(source instanceof URL)) return responseBytes(source, source.url || 'response')
  const url = source instanceof URL ? source : /^https?:\/\//i.test(source) ? new URL(source) : null
  if (url !== null && (url.protocol === 'http:' || url.protocol === 'https:')) {
    let response: Response
    try {
      response = await fetch(url)
    } catch (error) {
      throw new InputError(`cannot fetch bundle ${url.href}: ${error instanceof Error ? error.message : String(error)}`, { url: url.href }, { cause: error })
    }
    return responseBytes(response, url.href)
  }
  return null
}

async function responseBytes(response: Response, where: string): Promise<Uint8Array> {
  if (!response.ok) throw new InputError(`cannot load bundle ${where}: HTTP ${response.status}`, { status: response.status })
  return new Uint8Array(await response.arrayBuffer())
}
