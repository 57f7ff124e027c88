/**
 * SHA-256 through WebCrypto (`crypto.subtle.digest`), available in Node >= 20, browsers and
 * Cloudflare Workers. Used for bundle integrity and for fingerprinting data sets.
 */

/**
 * The SHA-256 digest (FIPS 180-4) of `bytes`, 32 bytes.
 *
 * @example
 * ```ts
 * const digest = await sha256(new TextEncoder().encode('abc')) // ba 78 16 bf ...
 * ```
 */
export async function sha256(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', ownBuffer(bytes)))
}

/**
 * The SHA-256 digest of `bytes` as 64 lowercase hex characters.
 *
 * @example
 * ```ts
 * await sha256Hex(new TextEncoder().encode('abc'))
 * // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(await sha256(bytes))
}

/**
 * Lowercase hex of `bytes` (two characters per byte).
 *
 * @example
 * ```ts
 * toHex(Uint8Array.of(0, 255)) // '00ff'
 * ```
 */
export function toHex(bytes: Uint8Array): string {
  let hex = ''
  for (const byte of bytes) hex += HEX[byte]
  return hex
}

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'))

/** WebCrypto takes views of (non-shared) ArrayBuffers only; copy anything else. */
function ownBuffer(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice()
}
