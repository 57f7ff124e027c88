/**
 * Standard base64 (RFC 4648 section 4, with `=` padding) through `btoa`/`atob`, which Node >= 16,
 * browsers and Cloudflare Workers all provide. Used for signing keys in configuration.
 */

const BASE64_PATTERN = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/**
 * Encodes bytes as standard padded base64.
 *
 * @example
 * ```ts
 * encodeBase64(Uint8Array.of(0xfb, 0xff)) // '+/8='
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/**
 * Decodes standard padded base64; returns null for anything else (whitespace, base64url, missing
 * padding), so the caller can raise its own typed error.
 *
 * @example
 * ```ts
 * decodeBase64('+/8=') // Uint8Array [0xfb, 0xff]
 * decodeBase64('+/8')  // null
 * ```
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> | null {
  if (!BASE64_PATTERN.test(text)) return null
  const binary = atob(text)
  const bytes = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i)
  return bytes
}
