import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FormatError } from '../../errors.js'
import { fixtureInput, fixtureManifest } from '../test-fixture.js'
import { assertBundleError } from '../test-mutations.js'
import { nodeFileSystem, writeFileAtomic, type AtomicFileSystem } from './atomic-write.js'
import { readBundleFile, writeBundleFile } from './bundle-file.js'

let directory = ''
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'sdd-format-'))
})
afterEach(async () => {
  await rm(directory, { recursive: true, force: true })
})

/** A file system whose writes store half the bytes, then fail (a full disk, a yanked drive). */
const failingMidWrite: AtomicFileSystem = {
  ...nodeFileSystem,
  async createExclusive(path) {
    const file = await nodeFileSystem.createExclusive(path)
    return {
      ...file,
      async write(bytes) {
        await file.write(bytes.subarray(0, bytes.length >> 1))
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
      },
    }
  },
}

describe('writeBundleFile / readBundleFile', () => {
  it('round-trips through a file and reports size and hash', async () => {
    const path = join(directory, 'model.sdd')
    const written = await writeBundleFile(path, fixtureInput())
    const bundle = await readBundleFile(path)
    expect(bundle.manifest).toStrictEqual(fixtureManifest())
    expect(written).toStrictEqual({ path, bytes: (await readFile(path)).length, sha256: bundle.sha256 })
    expect(await readdir(directory)).toStrictEqual(['model.sdd'])
  })

  it('replaces an existing file only with a complete one', async () => {
    const path = join(directory, 'model.sdd')
    await writeBundleFile(path, { ...fixtureInput(), manifest: { ...fixtureManifest(), name: 'old' } })
    await writeBundleFile(path, fixtureInput())
    expect((await readBundleFile(path)).manifest.name).toBe('fixture')
  })

  it('leaves neither a partial target nor a temp file when a write fails midway; the previous file stays', async () => {
    const path = join(directory, 'model.sdd')
    await expect(writeBundleFile(path, fixtureInput(), {}, failingMidWrite)).rejects.toThrow('ENOSPC')
    expect(await readdir(directory)).toStrictEqual([])
    await writeFile(path, 'previous model')
    await expect(writeBundleFile(path, fixtureInput(), {}, failingMidWrite)).rejects.toThrow('ENOSPC')
    expect(await readdir(directory)).toStrictEqual(['model.sdd'])
    expect(await readFile(path, 'utf8')).toBe('previous model')
  })

  it('cleans up when the final rename fails (the target is a non-empty directory)', async () => {
    const path = join(directory, 'model.sdd')
    await mkdir(path)
    await writeFile(join(path, 'keep'), 'x')
    await expect(writeBundleFile(path, fixtureInput())).rejects.toThrow()
    expect(await readdir(directory)).toStrictEqual(['model.sdd'])
    expect(await readdir(path)).toStrictEqual(['keep'])
  })

  it('writes nothing when the bundle is invalid, and reads files with the same checks as readBundle', async () => {
    const path = join(directory, 'model.sdd')
    await assertBundleError(writeBundleFile(path, { ...fixtureInput(), manifest: { ...fixtureManifest(), labels: [] } }), FormatError, 'manifest')
    expect(await readdir(directory)).toStrictEqual([])
    await writeFile(path, Uint8Array.of(1, 2, 3))
    await assertBundleError(readBundleFile(path), FormatError, 'header')
  })

  it('writeFileAtomic refuses to leave a file when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(directory, 'missing', 'x.bin'), Uint8Array.of(1))).rejects.toThrow('ENOENT')
    expect(await readdir(directory)).toStrictEqual([])
  })
})
