import { describe, expect, it } from 'vitest'
import { deriveSeed, dropThreshold, dropoutHash, dropoutMask, sampleKey } from '../masks/dropout-mask.js'

// The informative values docs/format.md ("Dropout masks") prints beside the pinned vectors of
// masks/dropout-mask.test.ts; this keeps the specification and the generator in step.
describe('docs/format.md dropout-mask values', () => {
  it('match the reference generator', () => {
    expect([dropThreshold(0.5), dropThreshold(0.1), dropThreshold(0.25)]).toStrictEqual([8388608, 1677722, 4194304])
    expect(dropoutHash(0, 0, 0) >>> 8).toBe(13002649)
    expect(sampleKey(0, 0)).toBe(0x808f5cca)
    expect(Array.from(dropoutMask(0, 0, 16, 0.5))).toStrictEqual([2, 2, 2, 2, 2, 2, 2, 0, 0, 2, 0, 0, 2, 0, 2, 0])
    expect([deriveSeed(0, 0), deriveSeed(1, 2)]).toStrictEqual([0xc296a653, 0x2278d87e])
  })
})
