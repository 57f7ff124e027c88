import { describe, expect, it } from 'vitest'
import { FormatError, IntegrityError, SignatureError } from '../errors.js'
import { FIXED_HEADER_BYTES, MAX_HEADER_BYTES, SHA256_BYTES } from './bundle-layout.js'
import { readBundle } from './read-bundle.js'
import { generateSigningKeyPair, importPrivateKey, importPublicKey } from './signing-keys.js'
import { fixtureInput } from './test-fixture.js'
import { assertBundleError, bundleRegions, flipBit, seededIntegers, type ByteRegion, type SdDropoutErrorClass } from './test-mutations.js'
import { writeBundle } from './write-bundle.js'

/** Flips per region: every byte once (seeded bit), then seeded positions until at least this many. */
const FLIPS_PER_REGION = 100

/** The flips of one region: every byte once, plus seeded extra (byte, bit) pairs up to FLIPS_PER_REGION. */
function flipsIn(region: ByteRegion, seed: number): { byte: number; bit: number }[] {
  const size = region.end - region.start
  const extra = Math.max(0, FLIPS_PER_REGION - size)
  const bytes = [...Array.from({ length: size }, (_, i) => i), ...seededIntegers(seed, extra, size)]
  const bits = seededIntegers(seed + 1, bytes.length, 8)
  return bytes.map((offset, i) => ({ byte: region.start + offset, bit: bits[i] as number }))
}

/**
 * What a flip in the header must raise: magic and major version are read before the digest
 * (FormatError); a flipped header length is a FormatError when out of range or past the end of the
 * file, else the digest no longer matches; everything else breaks the digest.
 */
function headerExpectation(file: Uint8Array, byte: number, bit: number): SdDropoutErrorClass {
  if (byte < 10) return FormatError
  if (byte >= 12 && byte < 16) {
    const length = new DataView(file.buffer, file.byteOffset).getUint32(12, true) ^ (1 << (8 * (byte - 12) + bit))
    const valid = length % 16 === 0 && length >= FIXED_HEADER_BYTES + SHA256_BYTES && length <= MAX_HEADER_BYTES && length <= file.length
    return valid ? IntegrityError : FormatError
  }
  return IntegrityError
}

function expectation(region: ByteRegion, file: Uint8Array, byte: number, bit: number): SdDropoutErrorClass {
  if (region.kind === 'header') return headerExpectation(file, byte, bit)
  if (region.kind === 'part') return IntegrityError
  if (region.kind === 'padding') return FormatError
  return SignatureError
}

describe('single bit flips', () => {
  it('are caught in every byte of every region of an unsigned bundle, naming the region', async () => {
    const file = await writeBundle(fixtureInput())
    const regions = await bundleRegions(file)
    expect(regions.map((region) => region.kind)).toContain('padding')
    let flips = 0
    for (const [index, region] of regions.entries()) {
      const cases = flipsIn(region, 1000 + index)
      expect(cases.length).toBeGreaterThanOrEqual(FLIPS_PER_REGION)
      for (const { byte, bit } of cases) {
        const expected = expectation(region, file, byte, bit)
        await assertBundleError(readBundle(flipBit(file, byte, bit)), expected, region.name, `${region.kind} ${region.name}, byte ${byte}, bit ${bit}`)
        flips++
      }
    }
    expect(flips).toBe(regions.reduce((sum, region) => sum + Math.max(FLIPS_PER_REGION, region.end - region.start), 0))
  })

  it('in a signed bundle read with its key: signature flips are SignatureErrors, others as unsigned', async () => {
    const keys = await generateSigningKeyPair()
    const file = await writeBundle(fixtureInput(), { signingKey: await importPrivateKey(keys.privateKey) })
    const publicKey = await importPublicKey(keys.publicKey)
    const regions = await bundleRegions(file)
    expect(regions.at(-1)).toStrictEqual({ kind: 'signature', name: 'signature', start: file.length - 64, end: file.length })
    for (const [index, region] of regions.entries()) {
      // The signature region gets the full sweep; the other regions, covered above, a seeded sample.
      const cases = region.kind === 'signature' ? flipsIn(region, 77) : flipsIn(region, 2000 + index).slice(-20)
      for (const { byte, bit } of cases) {
        const expected = expectation(region, file, byte, bit)
        await assertBundleError(readBundle(flipBit(file, byte, bit), { publicKey }), expected, region.name, `${region.kind} ${region.name}, byte ${byte}, bit ${bit}`)
      }
    }
  })
})
