import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { datasetHash } from './data-hash.js'

describe('datasetHash', () => {
  it('hashes float32 LE inputs then int32 LE labels', async () => {
    const images = Float32Array.of(0, 0.5, 1)
    const labels = Int32Array.of(3, 7)
    const bytes = Buffer.concat([Buffer.from(images.buffer), Buffer.from(labels.buffer)])
    expect(await datasetHash({ images, labels })).toBe(createHash('sha256').update(bytes).digest('hex'))
  })

  it('changes when one label changes', async () => {
    const images = new Float32Array(8)
    expect(await datasetHash({ images, labels: Int32Array.of(1) })).not.toBe(await datasetHash({ images, labels: Int32Array.of(2) }))
  })
})
