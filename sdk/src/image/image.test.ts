import { encode as encodePng } from 'fast-png'
import { encode as encodeJpeg } from 'jpeg-js'
import { describe, expect, it } from 'vitest'
import { InputError, SdDropoutError } from '../errors.js'
import type { ImagePreprocessing } from '../format/manifest.js'
import { decodeImage } from './decode-image.js'
import { readImageHeader } from './image-header.js'
import { centerLikeMnist } from './mnist-centering.js'
import { toPlane } from './plane.js'
import { imageToInput } from './preprocess-image.js'
import { resizePlane } from './resize.js'

const mnistSpec: ImagePreprocessing = {
  channels: 1, height: 28, width: 28, scale: 1 / 255, mean: [0], std: [1], invert: false, mnistCentering: false,
}

function grayPng(width: number, height: number, pixel: (x: number, y: number) => number): Uint8Array {
  const data = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = pixel(x, y)
  return encodePng({ width, height, data, channels: 1, depth: 8 })
}

describe('readImageHeader', () => {
  it('reads PNG and JPEG sizes without decoding', () => {
    expect(readImageHeader(grayPng(5, 3, () => 0))).toStrictEqual({ format: 'png', width: 5, height: 3 })
    const jpeg = encodeJpeg({ width: 7, height: 9, data: new Uint8Array(7 * 9 * 4).fill(200) }, 90).data
    expect(readImageHeader(new Uint8Array(jpeg))).toStrictEqual({ format: 'jpeg', width: 7, height: 9 })
  })
  it('rejects other bytes and truncated headers with InputError', () => {
    expect(() => readImageHeader(new TextEncoder().encode('GIF89a....'))).toThrow(InputError)
    expect(() => readImageHeader(grayPng(5, 3, () => 0).subarray(0, 20))).toThrow(/truncated/)
    expect(() => readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16]))).toThrow(InputError)
  })
})

describe('decodeImage', () => {
  it('decodes gray, RGB, RGBA (alpha on black) and 16-bit PNG exactly', () => {
    expect(Array.from(decodeImage(grayPng(2, 1, (x) => (x ? 200 : 10))).data)).toStrictEqual([10, 200])
    const rgb = encodePng({ width: 1, height: 1, data: new Uint8Array([10, 20, 30]), channels: 3, depth: 8 })
    expect(decodeImage(rgb)).toStrictEqual({ width: 1, height: 1, channels: 3, data: new Uint8Array([10, 20, 30]) })
    const rgba = encodePng({ width: 1, height: 1, data: new Uint8Array([200, 100, 50, 51]), channels: 4, depth: 8 })
    expect(Array.from(decodeImage(rgba).data)).toStrictEqual([40, 20, 10])
    const sixteen = encodePng({ width: 1, height: 1, data: new Uint16Array([65535]), channels: 1, depth: 16 })
    expect(Array.from(decodeImage(sixteen).data)).toStrictEqual([255])
  })
  it('decodes JPEG to RGB within JPEG error', () => {
    const jpeg = encodeJpeg({ width: 8, height: 8, data: new Uint8Array(8 * 8 * 4).fill(128) }, 95).data
    const image = decodeImage(new Uint8Array(jpeg))
    expect(image.channels).toBe(3)
    for (const v of image.data) expect(Math.abs(v - 128)).toBeLessThanOrEqual(2)
  })
  it('refuses images above the pixel cap before decoding, and damaged files, with InputError', () => {
    expect(() => decodeImage(grayPng(100, 100, () => 0), { maxPixels: 9_999 })).toThrow(/10000 pixels, above the limit of 9999/)
    const png = grayPng(16, 16, (x, y) => x * y)
    const damaged = png.slice(0, png.length - 20)
    for (const bytes of [damaged, png.slice(0, 40), new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 11, 8, 0, 4, 0, 4, 1, 1, 0x11, 0])]) {
      let caught: unknown
      try {
        decodeImage(bytes)
      } catch (error) {
        caught = error
      }
      expect(caught).toBeInstanceOf(SdDropoutError)
      expect(caught).toBeInstanceOf(InputError)
    }
  })
})

describe('resizePlane', () => {
  it('averages 2x2 blocks when halving and keeps constants constant', () => {
    const plane = { width: 4, height: 2, channels: 1, data: new Float32Array([0, 4, 8, 8, 4, 8, 0, 0]) }
    const half = resizePlane(plane, 2, 1)
    expect(Array.from(half.data)).toStrictEqual([4, 4])
    const flat = resizePlane({ width: 3, height: 5, channels: 2, data: new Float32Array(30).fill(7) }, 11, 4)
    for (const v of flat.data) expect(v).toBeCloseTo(7, 5)
  })
  it('interpolates linearly between pixel centres when doubling', () => {
    const up = resizePlane({ width: 2, height: 1, channels: 1, data: new Float32Array([0, 100]) }, 4, 1)
    expect(Array.from(up.data).map((v) => Math.round(v * 100) / 100)).toStrictEqual([0, 25, 75, 100])
  })
})

describe('centerLikeMnist', () => {
  it('fits the ink box in 20 pixels and moves its centre of mass to (14, 14)', () => {
    // a 10 x 30 bar in the top-left corner of a 64 x 64 image
    const image = { width: 64, height: 64, channels: 1, data: new Uint8Array(64 * 64) }
    for (let y = 2; y < 32; y++) for (let x = 3; x < 13; x++) image.data[y * 64 + x] = 255
    const field = centerLikeMnist(toPlane(image, 1))
    let mass = 0
    let sx = 0
    let sy = 0
    let rows = 0
    for (let y = 0; y < 28; y++) {
      let rowInk = 0
      for (let x = 0; x < 28; x++) {
        const v = field.data[y * 28 + x] as number
        mass += v
        sx += v * (x + 0.5)
        sy += v * (y + 0.5)
        rowInk += v
      }
      if (rowInk > 0) rows++
    }
    expect(Math.abs(sx / mass - 14)).toBeLessThanOrEqual(0.5)
    expect(Math.abs(sy / mass - 14)).toBeLessThanOrEqual(0.5)
    expect(rows).toBe(20)
  })
  it('leaves a blank image blank', () => {
    const field = centerLikeMnist({ width: 10, height: 10, channels: 1, data: new Float32Array(100) })
    expect(field.data.every((v) => v === 0)).toBe(true)
  })
})

describe('imageToInput', () => {
  it('reproduces a 28 x 28 gray image exactly as x / 255, and honours invert, mean and std', () => {
    const png = grayPng(28, 28, (x, y) => (x * 9 + y * 3) % 256)
    const input = imageToInput(png, mnistSpec)
    expect(input.length).toBe(784)
    expect(input[28 * 2 + 5]).toBeCloseTo(((5 * 9 + 2 * 3) % 256) / 255, 6)
    const inverted = imageToInput(png, { ...mnistSpec, invert: true, mean: [0.5], std: [0.25] })
    expect(inverted[28 * 2 + 5]).toBeCloseTo((1 - ((5 * 9 + 2 * 3) % 256) / 255 - 0.5) / 0.25, 5)
  })
  it('resizes and converts RGB to gray by BT.601 luma', () => {
    const rgb = encodePng({ width: 2, height: 2, data: new Uint8Array(12).fill(0).map((_, i) => (i % 3 === 0 ? 255 : 0)), channels: 3, depth: 8 })
    const input = imageToInput(rgb, { ...mnistSpec, height: 1, width: 1 })
    expect(input[0]).toBeCloseTo(0.299, 5)
  })
})
