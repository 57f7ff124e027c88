import { describe, expect, it } from 'vitest'
import { float32FromBytes } from './float32-from-bytes.js'

describe('float32FromBytes', () => {
  it('is a view of aligned bytes and a copy of unaligned ones, with the same values', () => {
    const aligned = Uint8Array.of(0, 0, 0x80, 0x3f, 0, 0, 0, 0x40)
    const view = float32FromBytes(aligned)
    expect(Array.from(view)).toStrictEqual([1, 2])
    expect(view.buffer).toBe(aligned.buffer)
    const shifted = new Uint8Array(9)
    shifted.set(aligned, 1)
    const copy = float32FromBytes(shifted.subarray(1))
    expect(Array.from(copy)).toStrictEqual([1, 2])
    expect(copy.buffer).not.toBe(shifted.buffer)
  })

  it('keeps special values', () => {
    expect(Array.from(float32FromBytes(Uint8Array.of(0, 0, 0xc0, 0x7f, 0, 0, 0x80, 0xff)))).toStrictEqual([Number.NaN, -Infinity])
  })
})
