import { createPublicKey, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { OptionError, SignatureError } from '../errors.js'
import { decodeBase64 } from './base64.js'
import { decodeHeader } from './header-decode.js'
import { sealHeader } from './header-encode.js'
import { readBundle } from './read-bundle.js'
import { generateSigningKeyPair, importPrivateKey, importPublicKey } from './signing-keys.js'
import { fixtureInput, fixtureManifest } from './test-fixture.js'
import { assertBundleError, seededIntegers } from './test-mutations.js'
import { writeBundle } from './write-bundle.js'

async function signedFixture(privateKey: string, input = fixtureInput()): Promise<Uint8Array> {
  return writeBundle(input, { signingKey: await importPrivateKey(privateKey) })
}

/** The bundle with its signature trailer replaced by `signature`. */
function withSignature(file: Uint8Array, signature: Uint8Array): Uint8Array {
  const copy = file.slice()
  copy.set(signature, file.length - 64)
  return copy
}

describe('Ed25519 signature', () => {
  it('signs the header; readBundle verifies it with a base64 or CryptoKey public key; node:crypto agrees', async () => {
    const keys = await generateSigningKeyPair()
    expect(decodeBase64(keys.publicKey)?.length).toBe(32)
    expect(decodeBase64(keys.privateKey)?.length).toBe(48)
    const file = await signedFixture(keys.privateKey)
    expect(await signedFixture(keys.privateKey)).toStrictEqual(file) // Ed25519 signatures are deterministic
    for (const publicKey of [keys.publicKey, await importPublicKey(keys.publicKey)]) {
      const bundle = await readBundle(file, { publicKey })
      expect([bundle.signed, bundle.signatureVerified]).toStrictEqual([true, true])
      expect(bundle.manifest).toStrictEqual(fixtureManifest())
    }
    const unverified = await readBundle(file)
    expect([unverified.signed, unverified.signatureVerified]).toStrictEqual([true, false])
    expect(file.length).toBe((await writeBundle(fixtureInput())).length + 64)
    const header = await decodeHeader(file.slice())
    const x = Buffer.from(decodeBase64(keys.publicKey) as Uint8Array).toString('base64url')
    const nodeKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' })
    expect(verify(null, file.subarray(0, header.length), nodeKey, file.subarray(file.length - 64))).toBe(true)
  })

  it('refuses wrong signatures: seeded random bytes, zeros, another bundle of the same key', async () => {
    const keys = await generateSigningKeyPair()
    const file = await signedFixture(keys.privateKey)
    const publicKey = await importPublicKey(keys.publicKey)
    const randomSignatures = Array.from({ length: 100 }, (_, i) => Uint8Array.from(seededIntegers(900 + i, 64, 256)))
    for (const signature of [...randomSignatures, new Uint8Array(64)]) await assertBundleError(readBundle(withSignature(file, signature), { publicKey }), SignatureError, 'signature')
    const other = await signedFixture(keys.privateKey, { ...fixtureInput(), manifest: { ...fixtureManifest(), name: 'other' } })
    await assertBundleError(readBundle(withSignature(file, other.subarray(other.length - 64)), { publicKey }), SignatureError, 'signature')
  })

  it('refuses signatures made with other keys', async () => {
    const keys = await generateSigningKeyPair()
    const publicKey = await importPublicKey(keys.publicKey)
    for (let i = 0; i < 25; i++) {
      const other = await generateSigningKeyPair()
      await assertBundleError(readBundle(await signedFixture(other.privateKey), { publicKey }), SignatureError, 'signature', `other key ${i}`)
    }
  })

  it('refuses a missing signature when a key is given, also after a downgrade to unsigned', async () => {
    const keys = await generateSigningKeyPair()
    const unsigned = await writeBundle(fixtureInput())
    await assertBundleError(readBundle(unsigned, { publicKey: keys.publicKey }), SignatureError, 'signature')
    await assertBundleError(readBundle(unsigned, { publicKey: keys.publicKey, requireSignature: true }), SignatureError, 'signature')
    expect((await readBundle(unsigned, { publicKey: keys.publicKey, requireSignature: false })).signed).toBe(false)
    // Strip the trailer, mark the header unsigned and re-seal its digest: only the key can notice.
    const signed = await signedFixture(keys.privateKey)
    const { length } = await decodeHeader(signed.slice())
    const downgraded = signed.slice(0, signed.length - 64)
    downgraded[20] = 0
    await sealHeader(downgraded.subarray(0, length))
    expect((await readBundle(downgraded)).signed).toBe(false)
    await assertBundleError(readBundle(downgraded, { publicKey: keys.publicKey }), SignatureError, 'signature')
  })

  it('refuses unusable keys with an OptionError', async () => {
    const keys = await generateSigningKeyPair()
    const bytes = await signedFixture(keys.privateKey)
    const privateKey = await importPrivateKey(keys.privateKey)
    const publicKey = await importPublicKey(keys.publicKey)
    await expect(importPublicKey('not base64!')).rejects.toThrow(OptionError)
    await expect(importPublicKey(btoa('x'.repeat(31)))).rejects.toThrow(OptionError)
    await expect(importPrivateKey(keys.publicKey)).rejects.toThrow(OptionError)
    await expect(writeBundle(fixtureInput(), { signingKey: publicKey })).rejects.toThrow(OptionError)
    await expect(readBundle(bytes, { publicKey: privateKey })).rejects.toThrow(OptionError)
    const error = await importPublicKey('AAAA').catch((caught: unknown) => caught)
    expect(error).toMatchObject({ option: 'publicKey' })
  })
})
