import { describe, expect, it } from 'vitest'
import { FormatError, IntegrityError } from '../errors.js'
import { readBundle } from './read-bundle.js'
import { fixtureInput, fixtureManifest } from './test-fixture.js'
import { assertBundleError, encodeWithManifest, encodeWithManifestBytes, replacePartKeepingHash } from './test-mutations.js'
import { writeBundle } from './write-bundle.js'

type Path = readonly (string | number)[]
type Tree = Record<string, unknown> | unknown[]

const isTree = (value: unknown): value is Tree => typeof value === 'object' && value !== null
const dot = (path: Path): string => path.join('.')

/** Every (path, value) in the tree, depth first, root excluded. */
function nodes(value: unknown, path: Path = []): { path: Path; value: unknown }[] {
  if (!isTree(value)) return []
  return Object.entries(value).flatMap(([key, child]) => {
    const childPath = [...path, Array.isArray(value) ? Number(key) : key]
    return [{ path: childPath, value: child }, ...nodes(child, childPath)]
  })
}

/** A deep copy of the fixture manifest with `edit` applied to the parent of `path`. */
function edited(path: Path, edit: (parent: Tree, key: string | number) => void): unknown {
  const root = structuredClone(fixtureManifest()) as unknown as Tree
  let parent: Tree = root
  for (const key of path.slice(0, -1)) parent = (parent as Record<string, unknown>)[key] as Tree
  edit(parent, path.at(-1) as string | number)
  return root
}
const setAt = (path: Path, value: unknown): unknown => edited(path, (parent, key) => void ((parent as Record<string, unknown>)[key] = value))
const removeAt = (path: Path): unknown => edited(path, (parent, key) => void delete (parent as Record<string, unknown>)[key])

/** Objects whose keys are free (valibot records): removing an entry is valid. */
const RECORDS = ['metrics', 'ood.thresholds', 'provenance.hyperParameters', 'metrics.test.ood', 'metrics.test.ood.noise']
const OPTIONAL_KEYS = ['metrics.test.nllUncalibrated', 'metrics.test.eceUncalibrated', 'metrics.test.ood']
const isFree = (path: Path): boolean => dot(path).startsWith('provenance.hyperParameters')
const isObject = (value: unknown): boolean => isTree(value) && !Array.isArray(value)

/** A different value of the same kind (still valid or not: only the stale hash must catch it). */
function changed(value: unknown): unknown {
  if (typeof value === 'number') return value + 1
  if (typeof value === 'string') return `${value}x`
  if (typeof value === 'boolean') return !value
  if (value === null) return 0
  return Array.isArray(value) ? [...(value as unknown[]), 1] : { ...(value as object), added: 1 }
}

/** A value of a type no field accepts at that place. */
const wrongType = (value: unknown): unknown => (typeof value === 'number' || isTree(value) ? 'x' : typeof value === 'string' ? 12345 : typeof value === 'boolean' ? 'true' : 12345)

describe('manifest edited after writing (stale part hash)', () => {
  it('is an IntegrityError naming manifest for every edited value and every removed key', async () => {
    const original = await writeBundle(fixtureInput())
    const all = nodes(fixtureManifest())
    const edits = [
      ...all.map(({ path, value }) => ({ what: `edit ${dot(path)}`, manifest: setAt(path, changed(value)) })),
      ...all.filter(({ path }) => typeof path.at(-1) === 'string').map(({ path }) => ({ what: `remove ${dot(path)}`, manifest: removeAt(path) })),
    ]
    expect(edits.length).toBeGreaterThanOrEqual(100)
    for (const { what, manifest } of edits) {
      const bytes = await replacePartKeepingHash(original, 'manifest', new TextEncoder().encode(JSON.stringify(manifest)))
      await assertBundleError(readBundle(bytes), IntegrityError, 'manifest', what)
    }
  })
})

describe('manifest edited by a buggy writer (hashes correct)', () => {
  async function expectField(manifest: unknown, field: string, what = field): Promise<void> {
    const error = await assertBundleError(readBundle(await encodeWithManifest(manifest)), FormatError, 'manifest', what)
    expect({ what, field: error.details.field }).toStrictEqual({ what, field })
  }

  it('names the field for every wrong type, missing key and unknown key', async () => {
    const all = nodes(fixtureManifest()).filter(({ path }) => !isFree(path))
    const cases = [
      ...all.map(({ path, value }) => ({ manifest: setAt(path, wrongType(value)), field: dot(path), what: `wrong type at ${dot(path)}` })),
      ...all
        .filter(({ path }) => typeof path.at(-1) === 'string' && !RECORDS.includes(dot(path.slice(0, -1))) && !OPTIONAL_KEYS.includes(dot(path)))
        .map(({ path }) => ({ manifest: removeAt(path), field: dot(path), what: `missing ${dot(path)}` })),
      ...[{ path: [] as Path, value: fixtureManifest() as unknown }, ...all]
        .filter(({ value }) => isObject(value))
        .map(({ path }) => ({ manifest: setAt([...path, 'extra'], 'x'), field: dot([...path, 'extra']), what: `unknown key in ${dot(path) || '(root)'}` })),
    ]
    expect(cases.length).toBeGreaterThanOrEqual(200)
    for (const { manifest, field, what } of cases) await expectField(manifest, field, what)
  })

  const image = { channels: 1, height: 28, width: 28, scale: 1 / 255, mean: [0.1307], std: [0.3081], invert: false, mnistCentering: true }
  it.each<[string, Path, unknown]>([
    ['format', ['format'], 'other-bundle'],
    ['formatVersion', ['formatVersion'], 2],
    ['id', ['id'], ''],
    ['name', ['name'], 'Fixture'],
    ['name', ['name'], '-fixture'],
    ['createdAt', ['createdAt'], 'yesterday'],
    ['labels', ['labels'], ['a', 'a', 'b']],
    ['labels', ['labels'], ['only']],
    ['labels.0', ['labels', 0], ''],
    ['head.classes', ['labels'], ['a', 'b']],
    ['input.shape', ['input', 'shape'], []],
    ['input.shape.0', ['input', 'shape', 0], 0],
    ['input.shape.0', ['input', 'shape', 0], 2.5],
    ['input.image', ['input', 'kind'], 'image'],
    ['input.image', ['input', 'image'], image],
    ['input.image.mean', ['input'], { shape: [28, 28, 1], kind: 'image', image: { ...image, mean: [0, 0] } }],
    ['input.image.channels', ['input'], { shape: [28, 28, 1], kind: 'image', image: { ...image, channels: 2 } }],
    ['input.image.std.0', ['input'], { shape: [28, 28, 1], kind: 'image', image: { ...image, std: [0] } }],
    ['input.shape', ['input'], { shape: [100], kind: 'image', image }],
    ['head.inputDim', ['backbone', 'featureDim'], 3],
    ['head.dropoutRate', ['head', 'dropoutRate'], 1],
    ['head.dropoutRate', ['head', 'dropoutRate'], -0.1],
    ['head.classes', ['head', 'classes'], 0],
    ['head.weightPart', ['head', 'weightPart'], 'manifest'],
    ['head.weightPart', ['head', 'weightPart'], 'head weight'],
    ['head.biasPart', ['head', 'biasPart'], 'signature'],
    ['backbone.weightSpecs.0.dtype', ['backbone', 'weightSpecs', 0, 'dtype'], 'float16'],
    ['backbone.weightSpecs.0.shape.0', ['backbone', 'weightSpecs', 0, 'shape', 0], -1],
    ['calibration.temperature', ['calibration', 'temperature'], 0],
    ['calibration.atBound', ['calibration', 'atBound'], 'middle'],
    ['ood.score', ['ood', 'score'], 'odin'],
    ['ood.thresholds.odin', ['ood', 'thresholds', 'odin'], 1],
    ['ood.targetAcceptance', ['ood', 'targetAcceptance'], 0],
    ['ood.targetAcceptance', ['ood', 'targetAcceptance'], 1.5],
    ['ood.samples', ['ood', 'samples'], 1],
    ['ood.samples', ['ood', 'samples'], 2.5],
    ['ood.seed', ['ood', 'seed'], -1],
    ['ood.seed', ['ood', 'seed'], 2 ** 32],
    ['ood.mahalanobis', ['ood', 'mahalanobis'], null],
    ['ood.mahalanobis.shrinkage', ['ood', 'mahalanobis', 'shrinkage'], 1.5],
    ['selective.coverage', ['selective', 'coverage'], 1.2],
    ['metrics.test.accuracy', ['metrics', 'test', 'accuracy'], 1.01],
    ['metrics.test.accuracy', ['metrics', 'test', 'accuracy'], -0.01],
    ['metrics.test.brier', ['metrics', 'test', 'brier'], 2.5],
    ['metrics.test.nll', ['metrics', 'test', 'nll'], -1],
    ['metrics.test.items', ['metrics', 'test', 'items'], 1.5],
    ['metrics.test.ood.noise.energy.auroc', ['metrics', 'test', 'ood', 'noise', 'energy', 'auroc'], 1.5],
    ['metrics.test.ood.noise.odin', ['metrics', 'test', 'ood', 'noise', 'odin'], { auroc: 1, auprIn: 1, auprOut: 1, fpr95: 0, detectionError: 0 }],
    ['metrics', ['metrics'], []],
    ['provenance.data.sha256', ['provenance', 'data', 'sha256'], 'AB'.repeat(32)],
    ['provenance.data.sha256', ['provenance', 'data', 'sha256'], 'ab'],
    ['provenance.seed', ['provenance', 'seed'], 1.5],
    ['provenance.parentId', ['provenance', 'parentId'], ''],
    ['(root)', [], null],
  ])('names %s when a rule is broken (%j)', async (field, path, value) => {
    await expectField(path.length === 0 ? value : setAt(path, value), field)
  })

  it('refuses manifest text that is not JSON, not UTF-8, has a BOM or non-finite numbers', async () => {
    const text = JSON.stringify(fixtureManifest())
    const encode = (value: string): Uint8Array => new TextEncoder().encode(value)
    await assertBundleError(readBundle(await encodeWithManifestBytes(encode(text.slice(0, -1)))), FormatError, 'manifest')
    await assertBundleError(readBundle(await encodeWithManifestBytes(encode(`\uFEFF${text}`))), FormatError, 'manifest')
    await assertBundleError(readBundle(await encodeWithManifestBytes(Uint8Array.of(0x7b, 0xff, 0x7d))), FormatError, 'manifest')
    const infinite = await assertBundleError(readBundle(await encodeWithManifestBytes(encode(text.replace('"temperature":1.25', '"temperature":1e400')))), FormatError, 'manifest')
    expect(infinite.details.field).toBe('calibration.temperature')
  })
})
