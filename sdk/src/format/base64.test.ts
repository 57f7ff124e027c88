import { describe, expect, it } from 'vitest'
import { decodeBase64, encodeBase64 } from './base64.js'

describe('base64', () => {
  it.each([
    ['', ''],
    ['f', 'Zg=='],
    ['fo', 'Zm8='],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg=='],
    ['fooba', 'Zm9vYmE='],
    ['foobar', 'Zm9vYmFy'],
  ])('round-trips the RFC 4648 vector %j <-> %j', (text, encoded) => {
    const bytes = new TextEncoder().encode(text)
    expect(encodeBase64(bytes)).toBe(encoded)
    expect(decodeBase64(encoded)).toStrictEqual(bytes)
  })

  it('round-trips every byte value and refuses anything but padded standard base64', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(decodeBase64(encodeBase64(all))).toStrictEqual(all)
    for (const bad of ['Zg', 'Zg=', 'Z===', 'Zm9v YmFy', '-_8=', 'Zm9v\n']) expect(decodeBase64(bad)).toBeNull()
  })
})
