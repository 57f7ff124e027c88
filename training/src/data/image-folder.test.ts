import { mkdirSync, mkdtempSync, symlinkSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InputError, ShapeError } from '@sd-dropout/sdk'
import { encode as encodePng } from 'fast-png'
import { encode as encodeJpeg } from 'jpeg-js'
import { afterAll, describe, expect, it } from 'vitest'
import { loadImageFolder } from './image-folder.js'

const base = mkdtempSync(join(tmpdir(), 'sdd-images-'))
afterAll(() => rmSync(base, { recursive: true, force: true }))

/** An RGB PNG of width x height whose every pixel is `rgb`. */
function png(width: number, height: number, rgb: readonly [number, number, number]): Uint8Array {
  const data = new Uint8Array(width * height * 3)
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3)
  return encodePng({ width, height, data, channels: 3, depth: 8 })
}

/** Writes `files` (relative path -> bytes) under a fresh folder and returns it. */
function folder(files: Record<string, Uint8Array | string>): string {
  const root = mkdtempSync(join(base, 'set-'))
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true })
    writeFileSync(join(root, path), bytes)
  }
  return root
}

describe('loadImageFolder', () => {
  it('reads one class per sub-folder (sorted), files in name order, pixels in [0, 1]', () => {
    const root = folder({ 'dog/b.png': png(2, 2, [0, 0, 255]), 'dog/a.png': png(2, 2, [255, 0, 0]), 'cat/x.png': png(2, 2, [0, 51, 0]), '.DS_Store': 'junk' })
    const data = loadImageFolder(root)
    expect(data.labelNames).toStrictEqual(['cat', 'dog'])
    expect(data).toMatchObject({ count: 3, itemShape: [2, 2, 3], classes: 2 })
    expect(Array.from(data.labels)).toStrictEqual([0, 1, 1])
    expect(Array.from(data.images.subarray(0, 3))).toStrictEqual([0, 0.2, 0].map(Math.fround))
    expect(Array.from(data.images.subarray(12, 15))).toStrictEqual([1, 0, 0]) // dog/a.png comes first
  })

  it('resizes to a given size and converts to one channel (luma), and reads JPEG', () => {
    const jpeg = new Uint8Array(encodeJpeg({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(255) }, 95).data)
    const root = folder({ 'a/1.png': png(4, 6, [255, 255, 255]), 'b/2.JPG': jpeg })
    const data = loadImageFolder(root, { height: 3, width: 3, channels: 1 })
    expect(data.itemShape).toStrictEqual([3, 3, 1])
    for (const v of data.images) expect(v).toBeCloseTo(1, 2)
  })

  it('maps folders to given class names (a test set) and refuses an unknown class', () => {
    const root = folder({ dog: png(1, 1, [1, 2, 3]) }) // a file named like a class: refused below
    expect(() => loadImageFolder(root)).toThrow(/found a file at its top level/)
    const test = folder({ 'dog/1.png': png(1, 1, [1, 2, 3]) })
    expect(Array.from(loadImageFolder(test, { labels: ['cat', 'dog'] }).labels)).toStrictEqual([1])
    expect(() => loadImageFolder(test, { labels: ['cat', 'cow'] })).toThrow(/class "dog" is not one of the model's classes \(cat, cow\)/)
  })

  it.each([
    ['a corrupt PNG', { 'a/1.png': png(2, 2, [0, 0, 0]), 'a/2.png': png(2, 2, [0, 0, 0]).subarray(0, 40) }, InputError, /a\/2\.png: /],
    ['a text file', { 'a/1.png': png(2, 2, [0, 0, 0]), 'a/notes.txt': 'hello' }, InputError, /a\/notes\.txt: not a PNG or JPEG image/],
    ['an empty class', { 'a/1.png': png(2, 2, [0, 0, 0]), 'b/.keep': '' }, InputError, /b: empty class folder/],
    ['a different size', { 'a/1.png': png(2, 2, [0, 0, 0]), 'b/2.png': png(3, 2, [0, 0, 0]) }, ShapeError, /image .*b\/2\.png: expected 2 x 2 pixels like .*a\/1\.png \(or give --image-size to resize every image\), received 3 x 2/],
  ])('rejects %s naming the file', (_name, files, type, message) => {
    const root = folder(files)
    expect(() => loadImageFolder(root)).toThrow(type)
    expect(() => loadImageFolder(root)).toThrow(message)
  })

  it('reports a missing folder and a folder without classes', () => {
    expect(() => loadImageFolder(join(base, 'nope'))).toThrow(/folder not found: .*nope/)
    expect(() => loadImageFolder(folder({ '.hidden': 'x' }))).toThrow(/no class folders/)
  })

  it('reports a broken symbolic link by path with a typed error', () => {
    const root = folder({ 'a/1.png': png(2, 2, [0, 0, 0]) })
    symlinkSync(join(root, 'missing.png'), join(root, 'a', '2.png'))
    expect(() => loadImageFolder(root)).toThrow(InputError)
    expect(() => loadImageFolder(root)).toThrow(/a\/2\.png: cannot be read \(ENOENT; a broken symbolic link\?\)/)
  })
})
