import { describe, expect, it } from 'vitest'
import { FormatError } from '../errors.js'
import { readBundle } from './read-bundle.js'
import { generateSigningKeyPair, importPrivateKey } from './signing-keys.js'
import { fixtureInput } from './test-fixture.js'
import { assertBundleError, bundleRegions, seededIntegers, type ByteRegion } from './test-mutations.js'
import { writeBundle } from './write-bundle.js'

/** The name a truncation error must carry: the region holding the first missing byte. */
function regionHolding(regions: readonly ByteRegion[], byte: number): ByteRegion {
  const region = regions.find((candidate) => byte >= candidate.start && byte < candidate.end)
  if (region === undefined) throw new Error(`no region holds byte ${byte}`)
  return region
}

async function expectCutsNamed(file: Uint8Array, cuts: readonly number[]): Promise<void> {
  const regions = await bundleRegions(file.slice())
  for (const length of cuts) {
    const region = regionHolding(regions, length)
    await assertBundleError(readBundle(file.subarray(0, length)), FormatError, region.name, `cut to ${length} bytes, inside ${region.kind} ${region.name}`)
  }
}

describe('truncation', () => {
  it('at every part boundary names the part that is cut off', async () => {
    const file = await writeBundle(fixtureInput())
    const regions = await bundleRegions(file)
    const boundaries = regions.flatMap((region) => [region.start, region.end - 1]).filter((cut) => cut < file.length)
    expect(boundaries).toContain(0)
    await expectCutsNamed(file, boundaries)
    // Cut exactly at the end of a part's data, before its padding: the part (its slot) is cut.
    const padded = regions.filter((region) => region.kind === 'padding')
    expect(padded.length).toBeGreaterThan(0)
    for (const padding of padded) await assertBundleError(readBundle(file.subarray(0, padding.start)), FormatError, padding.name)
  })

  it('at every byte of an unsigned and a signed bundle is a FormatError naming the right region', async () => {
    const unsigned = await writeBundle(fixtureInput())
    const keys = await generateSigningKeyPair()
    const signed = await writeBundle(fixtureInput(), { signingKey: await importPrivateKey(keys.privateKey) })
    const every = (file: Uint8Array): number[] => Array.from({ length: file.length }, (_, cut) => cut)
    expect(unsigned.length).toBeGreaterThan(100)
    await expectCutsNamed(unsigned, every(unsigned))
    await expectCutsNamed(signed, every(signed))
    // A signed bundle read with a key but cut in its signature is still a FormatError, not a SignatureError.
    await assertBundleError(readBundle(signed.subarray(0, signed.length - 1), { publicKey: keys.publicKey }), FormatError, 'signature')
  })

  it('at seeded positions inside each part names the part', async () => {
    const file = await writeBundle(fixtureInput())
    const regions = (await bundleRegions(file)).filter((region) => region.kind === 'part')
    for (const [index, region] of regions.entries()) {
      const cuts = seededIntegers(500 + index, 20, region.end - region.start).map((offset) => region.start + offset)
      await expectCutsNamed(file, cuts)
    }
  })

  it('is distinguished from trailing bytes, which are refused as trailer', async () => {
    const unsigned = await writeBundle(fixtureInput())
    const keys = await generateSigningKeyPair()
    const signed = await writeBundle(fixtureInput(), { signingKey: await importPrivateKey(keys.privateKey) })
    for (const file of [unsigned, signed]) {
      for (const extra of [1, 15, 16, 64, 1000]) {
        const longer = new Uint8Array(file.length + extra)
        longer.set(file)
        const error = await assertBundleError(readBundle(longer), FormatError, 'trailer')
        expect(error.message).toContain(`${extra} unexpected bytes`)
      }
    }
  })
})
