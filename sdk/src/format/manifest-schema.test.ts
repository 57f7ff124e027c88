import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { FormatError } from '../errors.js'
import type { Manifest } from './manifest.js'
import { manifestSchema, parseManifest } from './manifest-schema.js'
import { fixtureManifest } from './test-fixture.js'

const imageModel = (): Manifest => ({
  ...fixtureManifest(),
  input: {
    shape: [28, 28, 1],
    kind: 'image',
    image: { channels: 1, height: 28, width: 28, scale: 1 / 255, mean: [0.1307], std: [0.3081], invert: true, mnistCentering: true },
  },
})

describe('parseManifest', () => {
  it('returns a valid manifest unchanged (a deep copy)', () => {
    const manifest = fixtureManifest()
    const parsed = parseManifest(manifest)
    expect(parsed).toStrictEqual(manifest)
    expect(parsed).not.toBe(manifest)
    expect(parseManifest(imageModel())).toStrictEqual(imageModel())
  })

  it('accepts the minimal choices: no OOD statistics, no selective prediction, no metrics, S = 0', () => {
    const minimal: Manifest = {
      ...fixtureManifest(),
      ood: { score: 'energy', thresholds: { energy: -1 }, targetAcceptance: 1, samples: 0, seed: 4294967295, mahalanobis: null },
      selective: null,
      metrics: {},
    }
    expect(parseManifest(minimal)).toStrictEqual(minimal)
  })

  it('drops unknown keys only when asked to, and reports them with their path otherwise', () => {
    const withExtra = { ...fixtureManifest(), head: { ...fixtureManifest().head, bias: 1 } }
    expect(parseManifest(withExtra, { allowUnknownKeys: true })).toStrictEqual(fixtureManifest())
    expect(() => parseManifest(withExtra)).toThrow('manifest: head.bias: unknown key (not in manifest format v1)')
  })

  it('names the whole value when it is not an object, and keeps valibot usable directly', () => {
    let error: unknown
    try {
      parseManifest([])
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(FormatError)
    expect(error).toMatchObject({ part: 'manifest', details: { part: 'manifest', field: '(root)' } })
    const result = v.safeParse(manifestSchema, { ...fixtureManifest(), head: { ...fixtureManifest().head, classes: 4 } })
    expect(result.success ? null : [v.getDotPath(result.issues[0]), result.issues[0].message]).toStrictEqual(['head.classes', 'must equal the number of labels'])
  })
})
