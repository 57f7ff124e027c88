import { OptionError } from '../errors.js'
import { decodeBase64, encodeBase64 } from './base64.js'

/**
 * Ed25519 (RFC 8032) signing keys for bundles, through WebCrypto (`crypto.subtle`, algorithm name
 * `Ed25519`), which Node >= 20 and Cloudflare Workers (workerd) implement. Keys travel as base64
 * text: the public key as its raw 32 bytes, the private key as PKCS#8 DER.
 */

const ED25519 = { name: 'Ed25519' } as const

/** The WebCrypto algorithm name of bundle signatures. */
export const SIGNATURE_ALGORITHM = ED25519.name

/** A key pair as base64 text: `publicKey` = raw 32-byte key, `privateKey` = PKCS#8 DER. */
export interface SigningKeyPair {
  readonly publicKey: string
  readonly privateKey: string
}

/**
 * Generates a fresh Ed25519 key pair for signing bundles.
 *
 * @example
 * ```ts
 * const { publicKey, privateKey } = await generateSigningKeyPair()
 * const bytes = await writeBundle(input, { signingKey: await importPrivateKey(privateKey) })
 * await readBundle(bytes, { publicKey }) // verifies the signature
 * ```
 */
export async function generateSigningKeyPair(): Promise<SigningKeyPair> {
  const pair = await crypto.subtle.generateKey(ED25519, true, ['sign', 'verify'])
  const publicKey = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))
  const privateKey = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey))
  return { publicKey: encodeBase64(publicKey), privateKey: encodeBase64(privateKey) }
}

/**
 * Imports a base64 raw 32-byte Ed25519 public key for `readBundle(..., { publicKey })`.
 *
 * @throws {OptionError} (`publicKey`) for text that is not base64 of 32 bytes or not a valid key.
 * @example
 * ```ts
 * const key = await importPublicKey(env.MODEL_PUBLIC_KEY)
 * ```
 */
export async function importPublicKey(base64: string): Promise<CryptoKey> {
  const raw = decodeBase64(base64.trim())
  if (raw === null || raw.length !== 32) throw new OptionError('publicKey', 'must be the base64 of a raw 32-byte Ed25519 public key')
  try {
    return await crypto.subtle.importKey('raw', raw, ED25519, true, ['verify'])
  } catch (error) {
    throw new OptionError('publicKey', `is not a valid Ed25519 public key (${String(error)})`)
  }
}

/**
 * Imports a base64 PKCS#8 Ed25519 private key for `writeBundle(..., { signingKey })`.
 *
 * @throws {OptionError} (`privateKey`) for text that is not base64 of a PKCS#8 Ed25519 key.
 * @example
 * ```ts
 * const signingKey = await importPrivateKey(process.env.SD_DROPOUT_SIGNING_KEY ?? '')
 * ```
 */
export async function importPrivateKey(base64: string): Promise<CryptoKey> {
  const pkcs8 = decodeBase64(base64.trim())
  if (pkcs8 === null) throw new OptionError('privateKey', 'must be the base64 of a PKCS#8 Ed25519 private key')
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8, ED25519, false, ['sign'])
  } catch (error) {
    throw new OptionError('privateKey', `is not a valid PKCS#8 Ed25519 private key (${String(error)})`)
  }
}

/**
 * Checks that `key` is an Ed25519 key of the given type that allows `usage`.
 *
 * @throws {OptionError} naming `option` otherwise.
 * @example
 * ```ts
 * assertEd25519Key(signingKey, 'private', 'sign', 'signingKey')
 * ```
 */
export function assertEd25519Key(key: CryptoKey, type: KeyType, usage: KeyUsage, option: string): void {
  if (key.algorithm.name !== ED25519.name || key.type !== type || !key.usages.includes(usage)) {
    throw new OptionError(option, `must be an Ed25519 ${type} key allowed to ${usage} (got ${key.algorithm.name} ${key.type} key for ${key.usages.join(', ')})`)
  }
}
