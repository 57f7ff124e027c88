import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OptionError } from '@sd-dropout/sdk'
import { encode as encodePng } from 'fast-png'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeIdx } from '../data/idx-file.js'
import { parseOptions } from './option-spec.js'
import { TRAIN_DATA_OPTIONS } from './data-options.js'
import { loadTrainingData } from './training-data.js'

const dir = mkdtempSync(join(tmpdir(), 'sdd-train-data-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const options = (argv: string[]) => parseOptions('train', TRAIN_DATA_OPTIONS, argv).values

/** A CIFAR-10 batch of `labels.length` records; a record of label k has every R byte = 10 k, G = 0, B = 255. */
function cifarBatch(name: string, labels: readonly number[]): string {
  const bytes = new Uint8Array(labels.length * 3073)
  labels.forEach((label, i) => {
    bytes[i * 3073] = label
    bytes.fill(10 * label, i * 3073 + 1, i * 3073 + 1025)
    bytes.fill(255, i * 3073 + 2049, (i + 1) * 3073)
  })
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

describe('loadTrainingData', () => {
  it('CIFAR: splits, fits per-channel mean / std on the training split, normalises every split, crop-flip by default', () => {
    const train = cifarBatch('data_batch_1.bin', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    const test = cifarBatch('test_batch.bin', [3, 4])
    const data = loadTrainingData(options(['--data', 'cifar10', '--train-data', train, '--test-data', test, '--validation-fraction', '0.1']))
    expect([data.train.count, data.validation.count, data.test?.count]).toStrictEqual([18, 2, 2])
    expect(data.labels).toStrictEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'])
    expect(data.augment).toBe('crop-flip')
    const red = Array.from(data.train.labels, (label) => (10 * label) / 255)
    const mean = red.reduce((a, b) => a + b, 0) / 18
    const std = Math.sqrt(red.reduce((a, b) => a + (b - mean) ** 2, 0) / 18)
    expect(data.normalization?.mean[0]).toBeCloseTo(mean, 6)
    expect(data.normalization?.std[0]).toBeCloseTo(std, 6)
    expect(data.normalization?.mean.slice(1)).toStrictEqual([0, 1])
    expect(data.normalization?.std.slice(1)).toStrictEqual([1, 1]) // constant channels
    expect(data.input).toMatchObject({ shape: [32, 32, 3], kind: 'image', image: { channels: 3, height: 32, width: 32, mean: data.normalization?.mean, std: data.normalization?.std, mnistCentering: false } })
    // test record 1 (label 4): R = 40 / 255 in pixel space
    expect(data.test?.images[3072]).toBeCloseTo((40 / 255 - mean) / std, 5)
    expect(data.test?.images[3072 + 2]).toBeCloseTo(0, 6) // B = 1: (1 - 1) / 1
    expect(data.description).toMatch(/^cifar10 .*data_batch_1\.bin \(20 items, 2 held out for validation; test cifar10 .*test_batch\.bin\); normalised per channel: mean /)
  })

  it('MNIST stays unnormalised with shift augmentation and MNIST centring in the input spec', () => {
    const data = loadTrainingData(options([]))
    expect(data.normalization).toBeNull()
    expect(data.augment).toBe('shift')
    expect(data.input.image).toMatchObject({ mean: [0], std: [1], mnistCentering: true })
    expect(data.train.count).toBe(7000)
  })

  it('CSV: a vector input, no augmentation, and no per-channel normalisation', () => {
    const path = join(dir, 'table.csv')
    writeFileSync(path, 'a,b,c,label\n' + Array.from({ length: 10 }, (_, i) => `${i},${2 * i},${i % 3},${i % 2 === 0 ? 'even' : 'odd'}`).join('\n'))
    const data = loadTrainingData(options(['--data', 'csv', '--train-data', path]))
    expect(data.input).toStrictEqual({ shape: [3], kind: 'vector', image: null })
    expect(data.labels).toStrictEqual(['even', 'odd'])
    expect(data.augment).toBe('none')
    expect(data.train.count + data.validation.count).toBe(10)
    expect(() => loadTrainingData(options(['--data', 'csv', '--train-data', path, '--normalize', 'per-channel']))).toThrow(/per-channel applies to images/)
    expect(() => loadTrainingData(options(['--data', 'csv', '--train-data', path, '--augment', 'flip']))).toThrow(/flip moves pixels; CSV features take none/)
  })

  it('images: resizes with --image-size and maps the test folder onto the training classes', () => {
    const root = join(dir, 'photos')
    const write = (path: string, value: number) => {
      mkdirSync(join(root, path, '..'), { recursive: true })
      writeFileSync(join(root, path), encodePng({ width: 4, height: 4, data: new Uint8Array(16).fill(value), channels: 1, depth: 8 }))
    }
    for (let i = 0; i < 4; i++) write(`train/cat/${i}.png`, 10)
    for (let i = 0; i < 4; i++) write(`train/dog/${i}.png`, 200)
    write('test/dog/x.png', 200)
    const data = loadTrainingData(options(['--data', 'images', '--train-data', join(root, 'train'), '--test-data', join(root, 'test'), '--image-size', '2', '--normalize', 'none', '--augment', 'flip']))
    expect(data.train.itemShape).toStrictEqual([2, 2, 1])
    expect(data.labels).toStrictEqual(['cat', 'dog'])
    expect(Array.from(data.test?.labels ?? [])).toStrictEqual([1])
    expect(data.test?.images[0]).toBeCloseTo(200 / 255, 6)
    expect(data.augment).toBe('flip')
  })

  it('images: a test folder without --image-size takes the training images\' size and channels', () => {
    const root = join(dir, 'mixed')
    const write = (path: string, size: number, channels: 1 | 3, value: number) => {
      mkdirSync(join(root, path, '..'), { recursive: true })
      writeFileSync(join(root, path), encodePng({ width: size, height: size, data: new Uint8Array(size * size * channels).fill(value), channels, depth: 8 }))
    }
    for (let i = 0; i < 3; i++) write(`train/a/${i}.png`, 4, 3, 30)
    for (let i = 0; i < 3; i++) write(`train/b/${i}.png`, 4, 3, 220)
    write('test/b/big-grey.png', 8, 1, 220) // another size, one channel
    const data = loadTrainingData(options(['--data', 'images', '--train-data', join(root, 'train'), '--test-data', join(root, 'test'), '--normalize', 'none']))
    expect(data.test?.itemShape).toStrictEqual([4, 4, 3])
    expect(Array.from(data.test?.images.subarray(0, 3) ?? []).map((v) => Math.round(v * 255))).toStrictEqual([220, 220, 220])
  })

  it.each([
    [['--data', 'mnist', '--train-data', 'x.bin'], /--train-data: is only used with --data cifar10, cifar100, images or csv/],
    [['--data', 'cifar10', '--train-images', 'x.idx'], /--train-images: is only used with --data idx/],
    [['--data', 'cifar100'], /--data: cifar100 needs --train-data \(the binary batch files\)/],
    [['--data', 'csv', '--train-data', 'a.csv,b.csv'], /--train-data: takes one file with --data csv, got 2/],
    [['--data', 'images', '--train-data', 'x', '--image-size', '12y3'], /--image-size: must be HxW or N/],
    [['--data', 'idx', '--image-size', '32'], /--image-size: is only used with --data images/],
  ])('rejects flags that do not fit the data: %j', (argv, message) => {
    expect(() => loadTrainingData(options(argv))).toThrow(OptionError)
    expect(() => loadTrainingData(options(argv))).toThrow(message)
  })

  it('reads IDX files with their validation split and reports a corrupt file by name', () => {
    const images = join(dir, 'i.idx')
    const labels = join(dir, 'l.idx')
    writeFileSync(images, encodeIdx([20, 2, 2], new Uint8Array(80).fill(51)))
    writeFileSync(labels, encodeIdx([20], Uint8Array.from({ length: 20 }, (_, i) => i % 3)))
    const data = loadTrainingData(options(['--data', 'idx', '--train-images', images, '--train-labels', labels, '--classes', '3']))
    expect([data.train.count, data.validation.count]).toStrictEqual([18, 2])
    expect(data.labels).toStrictEqual(['0', '1', '2'])
    writeFileSync(images, encodeIdx([20, 2, 2], new Uint8Array(80)).subarray(0, 50))
    expect(() => loadTrainingData(options(['--data', 'idx', '--train-images', images, '--train-labels', labels]))).toThrow(/i\.idx: truncated/)
  })
})
