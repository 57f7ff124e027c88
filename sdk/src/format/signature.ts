import { SignatureError } from '../errors.js'
import { ED25519_SIGNATURE_BYTES } from './bundle-layout.js'
import { SIGNATURE_ALGORITHM, assertEd25519Key } from './signing-keys.js'

/**
 * Signs the header bytes [0, H) of a bundle with Ed25519. The header commits to every part through
 * its SHA-256, so this signature covers the whole bundle. Returns the 64-byte signature.
 *
 * @throws {OptionError} (`signingKey`) unless `key` is an Ed25519 private key allowed to sign.
 * @example
 * ```ts
 * const signature = await signHeader(signingKey, header)
 * ```
 */
export async function signHeader(key: CryptoKey, header: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  assertEd25519Key(key, 'private', 'sign', 'signingKey')
  return new Uint8Array(await crypto.subtle.sign(SIGNATURE_ALGORITHM, key, header))
}

/**
 * Verifies an Ed25519 signature of the header bytes [0, H).
 *
 * @throws {SignatureError} when the signature is not 64 bytes or does not verify under `key`
 *   (also when the runtime throws instead of returning false, as workerd may for odd inputs).
 * @example
 * ```ts
 * await verifyHeaderSignature(publicKey, header, signature)
 * ```
 */
export async function verifyHeaderSignature(key: CryptoKey, header: Uint8Array<ArrayBuffer>, signature: Uint8Array): Promise<void> {
  if (signature.length !== ED25519_SIGNATURE_BYTES) throw new SignatureError(`signature has ${signature.length} bytes, Ed25519 needs ${ED25519_SIGNATURE_BYTES}`)
  let valid: boolean
  try {
    valid = await crypto.subtle.verify(SIGNATURE_ALGORITHM, key, signature.slice(), header)
  } catch (error) {
    throw new SignatureError(`signature could not be verified (${String(error)})`, {}, { cause: error })
  }
  if (!valid) throw new SignatureError('signature does not verify under the configured public key: the bundle was not signed by its private key, or was changed after signing')
}
