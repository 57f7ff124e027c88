import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { seededIntegers } from './test-mutations.js'
import { sha256Hex, toHex } from './sha256.js'

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 examples', async () => {
    expect(await sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })

  it('hashes only the view it is given, shared buffers included, like node:crypto', async () => {
    const data = Uint8Array.from(seededIntegers(3, 100_000, 256))
    const view = data.subarray(17, 99_000)
    expect(await sha256Hex(view)).toBe(createHash('sha256').update(view).digest('hex'))
    const shared = new Uint8Array(new SharedArrayBuffer(view.length))
    shared.set(view)
    expect(await sha256Hex(shared)).toBe(await sha256Hex(view))
  })

  it('writes lowercase hex', () => {
    expect(toHex(Uint8Array.of(0, 9, 10, 255))).toBe('00090aff')
  })
})
