import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { FormatError, InputError, ShapeError } from '@sd-dropout/sdk'
import { loadIdxDataset, readIdxImages } from './idx-dataset.js'
import { encodeIdx, parseIdx } from './idx-file.js'

const dir = mkdtempSync(join(tmpdir(), 'sdd-idx-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, bytes: Uint8Array): string {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

describe('parseIdx', () => {
  it('reads dimensions and data of a hand-made file', () => {
    const bytes = Uint8Array.of(0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 255)
    const parsed = parseIdx(bytes, 'x.idx')
    expect(parsed.dims).toStrictEqual([2, 3])
    expect(Array.from(parsed.data)).toStrictEqual([1, 2, 3, 4, 5, 255])
    expect(parseIdx(encodeIdx([2, 3], parsed.data), 'y').dims).toStrictEqual([2, 3])
  })

  it.each([
    ['empty', new Uint8Array(0), /x\.idx: not an IDX file: 0 bytes/],
    ['bad magic', Uint8Array.of(1, 0, 8, 1, 0, 0, 0, 1, 9), /x\.idx: not an IDX file: magic number starts with 0x01 0x00/],
    ['float data', Uint8Array.of(0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0), /type 0x0d \(float\) is not supported/],
    ['zero dims', Uint8Array.of(0, 0, 8, 0), /declares 0 dimensions/],
    ['truncated header', Uint8Array.of(0, 0, 8, 3, 0, 0, 0, 1), /truncated header: 8 bytes, the 3-dimensional header needs 16/],
    ['truncated data', Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 4, 1, 2), /truncated: dimensions \[4\] need 4 data bytes, the file holds 2/],
    ['trailing bytes', Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 1, 1, 2), /1 unexpected bytes after the data/],
    ['gzip', Uint8Array.of(0x1f, 0x8b, 8, 0), /gzip-compressed/],
  ])('rejects %s with a FormatError naming the file', (_name, bytes, message) => {
    expect(() => parseIdx(bytes, 'x.idx')).toThrow(FormatError)
    expect(() => parseIdx(bytes, 'x.idx')).toThrow(message)
  })
})

describe('IDX data sets', () => {
  const pixels = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20)
  const images = write('images.idx', encodeIdx([3, 2, 2], pixels))
  const labels = write('labels.idx', encodeIdx([3], Uint8Array.of(0, 2, 1)))

  it('scales images to [0, 1] and reads labels (plain and gzipped)', () => {
    const data = loadIdxDataset(images, labels, 3, [2, 2, 1])
    expect(data.count).toBe(3)
    expect(data.itemShape).toStrictEqual([2, 2, 1])
    expect(Array.from(data.labels)).toStrictEqual([0, 2, 1])
    expect(data.images[5]).toBeCloseTo(100 / 255, 6)
    const gz = write('images.idx.gz', gzipSync(encodeIdx([3, 2, 2], pixels)))
    expect(Array.from(readIdxImages(gz).images)).toStrictEqual(Array.from(data.images))
  })

  it('rejects labels out of range, naming file, index and value', () => {
    expect(() => loadIdxDataset(images, labels, 2)).toThrow(InputError)
    expect(() => loadIdxDataset(images, labels, 2)).toThrow(/label 2 of item 1 in .*labels\.idx is out of range: labels must be in \[0, 2\)/)
  })

  it('rejects a wrong image size and mismatched counts with a ShapeError', () => {
    expect(() => loadIdxDataset(images, labels, 3, [28, 28, 1])).toThrow(ShapeError)
    expect(() => loadIdxDataset(images, labels, 3, [28, 28, 1])).toThrow(/expected 28x28x1 \(the model's input\), received 2x2x1/)
    const fewer = write('fewer.idx', encodeIdx([2], Uint8Array.of(0, 1)))
    expect(() => loadIdxDataset(images, fewer, 3)).toThrow(/expected 3 labels/)
  })

  it('reports a missing file and a swapped label/image file clearly', () => {
    expect(() => loadIdxDataset(join(dir, 'nope.idx'), labels, 3)).toThrow(/file not found: .*nope\.idx/)
    expect(() => readIdxImages(labels)).toThrow(/found \[3\] \(a label file\?\)/)
  })
})
