import { describe, expect, it } from 'vitest'
import { MODEL_NAME_PATTERN } from '../config/worker-config.js'
import { fineTunedModelKey, fineTunedModelName } from './fine-tuned-model-key.js'

describe('fine-tuned model names and keys', () => {
  it('keys a name under fine-tuned/ with the bundle extension', () => {
    expect(fineTunedModelKey('digits-ft-1a2b3c4d')).toBe('fine-tuned/digits-ft-1a2b3c4d.sdd')
  })

  it('names a child <parent>-ft-<8 hex>, within 128 characters', () => {
    expect(fineTunedModelName('digits', Uint8Array.of(0x1a, 0x2b, 0x3c, 0x4d))).toBe('digits-ft-1a2b3c4d')
    expect(fineTunedModelName('mnist.v2_a', Uint8Array.of(0, 0, 0, 255, 9))).toBe('mnist.v2_a-ft-000000ff')
    const long = fineTunedModelName('a'.repeat(128), Uint8Array.of(1, 2, 3, 4))
    expect([long.length, long.endsWith('-ft-01020304'), MODEL_NAME_PATTERN.test(long)]).toStrictEqual([128, true, true])
  })

  it('draws a fresh random suffix by default', () => {
    const names = new Set(Array.from({ length: 20 }, () => fineTunedModelName('digits')))
    expect(names.size).toBe(20)
    for (const name of names) expect(name).toMatch(/^digits-ft-[0-9a-f]{8}$/)
  })
})
