import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../format/sha256.js'
import { fineTuneDataHash } from './fine-tune-data-hash.js'

describe('fineTuneDataHash', () => {
  it('hashes float32 inputs, int32 labels and the label set, little-endian', async () => {
    const bytes = Uint8Array.of(0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 1, 0, 0, 0, ...new TextEncoder().encode('["a","b"]'))
    expect(await fineTuneDataHash(Float32Array.of(1, -2), Int32Array.of(1), ['a', 'b'])).toBe(await sha256Hex(bytes))
  })
  it('changes with the labels and the label names', async () => {
    const base = await fineTuneDataHash(Float32Array.of(1, 2), Int32Array.of(0), ['a', 'b'])
    expect(await fineTuneDataHash(Float32Array.of(1, 2), Int32Array.of(1), ['a', 'b'])).not.toBe(base)
    expect(await fineTuneDataHash(Float32Array.of(1, 2), Int32Array.of(0), ['a', 'c'])).not.toBe(base)
  })
})
