import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { FormatError, InputError, OptionError } from '../errors.js'
import { BUNDLE_MAGIC } from './bundle-layout.js'
import { encodePartInput } from './bundle-part.js'
import { encodeBundle } from './encode-bundle.js'
import { sealHeader } from './header-encode.js'
import { readBundle } from './read-bundle.js'
import { fixtureManifest, fixtureParts, fixtureInput } from './test-fixture.js'
import { assertBundleError, encodeWithManifest } from './test-mutations.js'
import { writeBundle } from './write-bundle.js'

describe('readBundle round trip', () => {
  it('returns the manifest and every part exactly, and hashes the whole file', async () => {
    const bytes = await writeBundle(fixtureInput())
    const bundle = await readBundle(bytes)
    expect(bundle.manifest).toStrictEqual(fixtureManifest())
    expect(bundle.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(bundle.partNames).toStrictEqual(['manifest', ...fixtureParts().map((part) => part.name)])
    expect(new TextDecoder().decode(bundle.bytes('manifest'))).toBe(JSON.stringify(fixtureManifest()))
    for (const part of fixtureParts()) {
      if (part.data instanceof Float32Array) expect(Array.from(bundle.float32(part.name))).toStrictEqual(Array.from(part.data))
      else if (part.data instanceof Uint8Array) expect(bundle.bytes(part.name)).toStrictEqual(part.data)
      else expect(bundle.json(part.name)).toStrictEqual(part.data)
    }
    expect(bundle.signed).toBe(false)
    expect(bundle.signatureVerified).toBe(false)
  })

  it('lays the file out as docs/format.md says (hand-computed offsets)', async () => {
    const bytes = await writeBundle(fixtureInput())
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    expect(Array.from(bytes.subarray(0, 8))).toStrictEqual([0x89, 0x53, 0x44, 0x44, 0x0d, 0x0a, 0x1a, 0x0a])
    // Entries: manifest 64, backbone.topology 72, backbone.weights 72, head.weight 72, head.bias 72,
    // means 88, precision 88 = 528; H = align16(24 + 528 + 32) = 592.
    expect([view.getUint16(8, true), view.getUint16(10, true), view.getUint32(12, true), view.getUint32(16, true), bytes[20]]).toStrictEqual([1, 0, 592, 7, 0])
    const bundle = await readBundle(bytes)
    const manifestLength = new TextEncoder().encode(JSON.stringify(fixtureManifest())).length
    expect(bundle.part('manifest')).toMatchObject({ dtype: 'json', shape: [], offset: 592, length: manifestLength })
    expect(bundle.part('head.weight')).toMatchObject({ dtype: 'float32', shape: [2, 3], length: 24 })
    expect(bundle.part('backbone.weights')).toMatchObject({ dtype: 'bytes', shape: [], length: 40 })
    for (const name of bundle.partNames) expect(bundle.part(name).offset % 16).toBe(0)
    const last = bundle.part('ood.mahalanobis.precision')
    expect(bytes.length).toBe(Math.ceil((last.offset + last.length) / 16) * 16)
    expect(bundle.part('head.bias').sha256).toBe(createHash('sha256').update(new Uint8Array(Float32Array.of(0.1, -0.2, 0.3).buffer)).digest('hex'))
  })

  it('is deterministic and accepts ArrayBuffers and unaligned views', async () => {
    const bytes = await writeBundle(fixtureInput())
    expect(await writeBundle(fixtureInput())).toStrictEqual(bytes)
    const shifted = new Uint8Array(bytes.length + 3)
    shifted.set(bytes, 3)
    const fromView = await readBundle(shifted.subarray(3))
    expect(Array.from(fromView.float32('head.bias'))).toStrictEqual(Array.from(Float32Array.of(0.1, -0.2, 0.3)))
    const fromBuffer = await readBundle(bytes.slice().buffer)
    expect(fromBuffer.sha256).toBe(fromView.sha256)
  })

  it('returns views of a private copy: later changes to the input do not reach the bundle', async () => {
    const bytes = await writeBundle(fixtureInput())
    const bundle = await readBundle(bytes)
    bytes.fill(0)
    expect(bundle.float32('head.bias')[2]).toBeCloseTo(0.3, 7)
    expect(bundle.float32('head.weight').buffer).toBe(bundle.float32('head.bias').buffer)
  })

  it('names the part when it is missing or of another dtype', async () => {
    const bundle = await readBundle(await writeBundle(fixtureInput()))
    await assertBundleError(Promise.resolve().then(() => bundle.bytes('nope')), FormatError, 'nope')
    await assertBundleError(Promise.resolve().then(() => bundle.float32('backbone.topology')), FormatError, 'backbone.topology')
    await assertBundleError(Promise.resolve().then(() => bundle.json('head.bias')), FormatError, 'head.bias')
  })
})

describe('readBundle refusals', () => {
  it('refuses what is not a bundle', async () => {
    await assertBundleError(readBundle(new Uint8Array(0)), FormatError, 'header')
    await assertBundleError(readBundle(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)), FormatError, 'header')
    await assertBundleError(readBundle(new TextEncoder().encode('{"format":"sd-dropout-bundle"}')), FormatError, 'header')
    await assertBundleError(readBundle(BUNDLE_MAGIC), FormatError, 'header')
    await expect(readBundle('model.sdd' as unknown as Uint8Array)).rejects.toThrow(InputError)
  })

  it.each([0, 2, 65535])('refuses major version %i and says which versions it supports', async (major) => {
    const bytes = await writeBundle(fixtureInput())
    new DataView(bytes.buffer).setUint16(8, major, true)
    const error = await assertBundleError(readBundle(bytes), FormatError, 'header')
    expect(error.message).toContain(`unsupported format version ${major}.0; this reader supports major version 1`)
    expect(error.details).toMatchObject({ major, supported: [1] })
  })

  it('is strict about minor 0 and lenient about what a newer minor may add', async () => {
    const withExtra = { ...fixtureManifest(), extra: { added: 'in minor 1' } }
    const error = await assertBundleError(readBundle(await encodeWithManifest(withExtra)), FormatError, 'manifest')
    expect(error.details).toMatchObject({ field: 'extra' })
    const newer = await encodeWithManifest(withExtra, { minor: 1 })
    newer[21] = 7
    await sealHeader(newer.subarray(0, new DataView(newer.buffer).getUint32(12, true)))
    const bundle = await readBundle(newer)
    expect(bundle.manifest).toStrictEqual(fixtureManifest())
    const strict = await encodeWithManifest(fixtureManifest())
    strict[21] = 7
    await sealHeader(strict.subarray(0, new DataView(strict.buffer).getUint32(12, true)))
    await assertBundleError(readBundle(strict), FormatError, 'header')
  })

  it('refuses parts the manifest names with the wrong shape, even from a buggy writer', async () => {
    const parts = fixtureParts().map((part) => (part.name === 'head.bias' ? { ...part, data: Float32Array.of(1, 2) } : part))
    const data = new TextEncoder().encode(JSON.stringify(fixtureManifest()))
    const bytes = await encodeBundle([{ name: 'manifest', dtype: 'json', shape: [], data }, ...parts.map(encodePartInput)])
    const error = await assertBundleError(readBundle(bytes), FormatError, 'head.bias')
    expect(error.message).toContain('shape [2] should be [C] = [3]')
  })

  it('needs a public key to require a signature', async () => {
    const bytes = await writeBundle(fixtureInput())
    await expect(readBundle(bytes, { requireSignature: true })).rejects.toThrow(OptionError)
    expect((await readBundle(bytes, { requireSignature: false })).signed).toBe(false)
  })
})
