import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FormatError, InputError } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { cifarLabelNames, CIFAR10_LABELS, loadCifarDataset, parseCifarBatch } from './cifar-batch.js'

const dir = mkdtempSync(join(tmpdir(), 'sdd-cifar-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** One record whose pixel p of channel c is (p + 7c + seed) mod 256. */
function record(labels: readonly number[], seed: number): Uint8Array {
  const out = new Uint8Array(labels.length + 3072)
  out.set(labels)
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[labels.length + c * 1024 + p] = (p + 7 * c + seed) % 256
  return out
}

function write(name: string, ...records: Uint8Array[]): string {
  const path = join(dir, name)
  writeFileSync(path, Buffer.concat(records))
  return path
}

describe('parseCifarBatch', () => {
  it('reads labels and turns the R, G, B planes into HWC pixels in [0, 1]', () => {
    const bytes = Buffer.concat([record([3], 0), record([9], 100)])
    const { images, labels, count } = parseCifarBatch(bytes, 'b.bin', 'cifar10')
    expect(count).toBe(2)
    expect(Array.from(labels)).toStrictEqual([3, 9])
    // item 1, pixel (row 2, column 5) = p 69: R (69 + 100), G (69 + 7 + 100), B (69 + 14 + 100)
    const at = 3072 + 69 * 3
    expect(Array.from(images.subarray(at, at + 3))).toStrictEqual([169 / 255, 176 / 255, 183 / 255].map(Math.fround))
  })

  it('takes the fine (second) or the coarse (first) label of CIFAR-100 records', () => {
    const bytes = Buffer.concat([record([4, 77], 0)])
    expect(Array.from(parseCifarBatch(bytes, 'train.bin', 'cifar100').labels)).toStrictEqual([77])
    expect(Array.from(parseCifarBatch(bytes, 'train.bin', 'cifar100', 'coarse').labels)).toStrictEqual([4])
  })

  it.each([
    ['an empty file', new Uint8Array(0), 'cifar10', /b\.bin: empty file; a CIFAR-10 batch holds 3073-byte records/],
    ['a truncated file', record([1], 0).subarray(0, 3000), 'cifar10', /b\.bin: 3000 bytes is not a whole number of 3073-byte CIFAR-10 records .*\(truncated or not a CIFAR batch\)/],
    ['a CIFAR-100 batch read as CIFAR-10', Buffer.concat([record([1, 2], 0), record([1, 2], 0), record([1, 2], 0)]), 'cifar10', /use --data cifar100/],
    ['a label out of range', Buffer.concat([record([1], 0), record([10], 0)]), 'cifar10', /b\.bin: record 1: label 10 is out of range \[0, 10\)/],
    ['a fine label out of range', record([1, 100], 0), 'cifar100', /record 0: fine label 100 is out of range \[0, 100\)/],
  ] as const)('rejects %s with a FormatError naming the file', (_name, bytes, variant, message) => {
    expect(() => parseCifarBatch(bytes, 'b.bin', variant)).toThrow(FormatError)
    expect(() => parseCifarBatch(bytes, 'b.bin', variant)).toThrow(message)
  })
})

describe('loadCifarDataset', () => {
  it('concatenates batch files in order', () => {
    const a = write('data_batch_1.bin', record([1], 0), record([2], 1))
    const b = write('data_batch_2.bin', record([0], 2))
    const data = loadCifarDataset([a, b], 'cifar10')
    expect(data).toMatchObject({ count: 3, itemShape: [32, 32, 3], classes: 10, name: 'data_batch_1.bin+data_batch_2.bin' })
    expect(Array.from(data.labels)).toStrictEqual([1, 2, 0])
    expect(data.images[2 * 3072]).toBeCloseTo(2 / 255, 7)
  })

  it('reports a missing file and an empty list', () => {
    expect(() => loadCifarDataset([join(dir, 'nope.bin')], 'cifar10')).toThrow(/file not found: .*nope\.bin/)
    expect(() => loadCifarDataset([], 'cifar100')).toThrow(InputError)
  })

  it('reads class names beside the batch, or falls back to the standard names / numbers', () => {
    const sub = mkdtempSync(join(dir, 'names-'))
    expect(cifarLabelNames(join(sub, 'data_batch_1.bin'), 'cifar10')).toStrictEqual([...CIFAR10_LABELS])
    expect(cifarLabelNames(join(sub, 'train.bin'), 'cifar100', 'coarse')).toHaveLength(20)
    writeFileSync(join(sub, 'batches.meta.txt'), `${Array.from({ length: 10 }, (_, c) => `class-${c}`).join('\n')}\n\n`)
    expect(cifarLabelNames(join(sub, 'data_batch_1.bin'), 'cifar10')[9]).toBe('class-9')
    writeFileSync(join(sub, 'fine_label_names.txt'), 'apple\nbee\n')
    expect(() => cifarLabelNames(join(sub, 'train.bin'), 'cifar100')).toThrow(/fine_label_names\.txt: holds 2 class names, expected 100/)
  })
})
