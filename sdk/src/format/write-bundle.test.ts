import { describe, expect, it } from 'vitest'
import { FormatError, ShapeError } from '../errors.js'
import type { BundlePartInput } from './bundle-part.js'
import type { Manifest } from './manifest.js'
import { readBundle } from './read-bundle.js'
import { fixtureInput, fixtureManifest, fixtureParts } from './test-fixture.js'
import { assertBundleError } from './test-mutations.js'
import { writeBundle } from './write-bundle.js'

const withParts = (edit: (parts: BundlePartInput[]) => BundlePartInput[]) => ({ manifest: fixtureManifest(), parts: edit(fixtureParts()) })
const replacing = (name: string, part: Partial<BundlePartInput>) => withParts((parts) => parts.map((p) => (p.name === name ? { ...p, ...part } : p)))

describe('writeBundle refuses what readBundle would refuse', () => {
  it('names the manifest field that breaks the schema or is unknown', async () => {
    const cases: [Manifest, string][] = [
      [{ ...fixtureManifest(), labels: ['a', 'b'] }, 'head.classes'],
      [{ ...fixtureManifest(), calibration: { temperature: Number.NaN, atBound: null, fittedOn: 1 } }, 'calibration.temperature'],
      [{ ...fixtureManifest(), calibration: { temperature: Number.POSITIVE_INFINITY, atBound: null, fittedOn: 1 } }, 'calibration.temperature'],
      [{ ...fixtureManifest(), extra: 1 } as Manifest, 'extra'],
      [{ ...fixtureManifest(), createdAt: new Date(0) as unknown as string }, 'createdAt'],
    ]
    for (const [manifest, field] of cases) {
      const error = await assertBundleError(writeBundle({ manifest, parts: fixtureParts() }), FormatError, 'manifest', field)
      expect(error.details.field).toBe(field)
    }
  })

  it('names the manifest field that names a missing or mistyped part', async () => {
    const missing = await assertBundleError(writeBundle(withParts((parts) => parts.filter((p) => p.name !== 'head.bias'))), FormatError, 'manifest')
    expect(missing.details.field).toBe('head.biasPart')
    const mistyped = await assertBundleError(writeBundle(replacing('backbone.topology', { data: new Uint8Array(4) })), FormatError, 'manifest')
    expect(mistyped.details.field).toBe('backbone.topologyPart')
  })

  it('names the part whose shape or length does not fit the manifest', async () => {
    await assertBundleError(writeBundle(replacing('head.weight', { shape: [3, 2] })), FormatError, 'head.weight')
    await assertBundleError(writeBundle(replacing('head.bias', { data: Float32Array.of(1, 2, 3, 4) })), FormatError, 'head.bias')
    await assertBundleError(writeBundle(replacing('ood.mahalanobis.precision', { data: new Float32Array(4), shape: [4] })), FormatError, 'ood.mahalanobis.precision')
    const weights = await assertBundleError(writeBundle(replacing('backbone.weights', { data: new Uint8Array(36) })), FormatError, 'backbone.weights')
    expect(weights.message).toBe('backbone.weights: has 36 bytes, backbone.weightSpecs need 40')
  })

  it('refuses malformed parts', async () => {
    await expect(writeBundle(replacing('head.weight', { shape: [2, 2] }))).rejects.toThrow(ShapeError)
    await expect(writeBundle(replacing('backbone.weights', { shape: [41] }))).rejects.toThrow(ShapeError)
    await assertBundleError(writeBundle(withParts((parts) => [...parts, { name: 'head.bias', data: new Float32Array(3) }])), FormatError, 'header')
    await assertBundleError(writeBundle(withParts((parts) => [...parts, { name: 'bad name', data: 1 }])), FormatError, 'header')
    await assertBundleError(writeBundle(withParts((parts) => [...parts, { name: 'signature', data: 1 }])), FormatError, 'header')
    await assertBundleError(writeBundle(withParts((parts) => [...parts, { name: 'manifest', data: {} }])), FormatError, 'manifest')
    await assertBundleError(writeBundle(withParts((parts) => [...parts, { name: 'extra', data: new Int32Array(2) as unknown as Uint8Array }])), FormatError, 'extra')
    await assertBundleError(writeBundle(withParts((parts) => [...parts, { name: 'extra', data: { when: new Date(0) } as never }])), FormatError, 'extra')
    await assertBundleError(writeBundle(withParts((parts) => [...parts, { name: 'extra', data: [1, Number.NaN] }])), FormatError, 'extra')
    await assertBundleError(writeBundle(withParts((parts) => [...parts, { name: 'extra', data: { a: 1 }, shape: [1] }])), FormatError, 'extra')
  })

  it('writes extra parts the manifest does not name, and readers keep them', async () => {
    const extra: BundlePartInput[] = [
      { name: 'notes', data: { text: 'héllo ✓', list: [1, -0.5, null, true] } },
      { name: 'empty', data: new Float32Array(0) },
      { name: 'raw', data: Uint8Array.of(1, 2, 3), shape: [1, 3] },
    ]
    const bundle = await readBundle(await writeBundle({ ...fixtureInput(), parts: [...fixtureParts(), ...extra] }))
    expect(bundle.json('notes')).toStrictEqual({ text: 'héllo ✓', list: [1, -0.5, null, true] })
    expect(bundle.part('empty')).toMatchObject({ dtype: 'float32', shape: [0], length: 0 })
    expect(bundle.float32('empty').length).toBe(0)
    expect(bundle.part('raw')).toMatchObject({ dtype: 'bytes', shape: [1, 3], length: 3 })
    expect(Array.from(bundle.bytes('raw'))).toStrictEqual([1, 2, 3])
  })
})
