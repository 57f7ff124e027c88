import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FormatError, InputError } from '@sd-dropout/sdk'
import { decodeCheckpoint, encodeCheckpoint, loadCheckpointFile, saveCheckpointFile } from './checkpoint-file.js'

const dir = mkdtempSync(join(tmpdir(), 'sdd-ckpt-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const contents = { state: { epoch: 3, note: 'x' }, tensors: { a: Float32Array.of(1, -2.5, 3e-8), b: new Float32Array(0), c: Float32Array.of(Math.PI) } }

describe('checkpoint files', () => {
  it('round-trip state and tensors bit-exactly through an atomic write', async () => {
    const path = join(dir, 'run.ckpt')
    await saveCheckpointFile(path, contents)
    const loaded = await loadCheckpointFile(path)
    expect(loaded.state).toStrictEqual(contents.state)
    expect(Object.keys(loaded.tensors)).toStrictEqual(['a', 'b', 'c'])
    expect(Array.from(loaded.tensors.a ?? [])).toStrictEqual(Array.from(contents.tensors.a))
    expect(loaded.tensors.c?.[0]).toBe(Math.fround(Math.PI))
    expect(readdirSync(dir)).toStrictEqual(['run.ckpt'])
  })

  it('detects every single-byte change and every truncation', async () => {
    const bytes = await encodeCheckpoint(contents)
    for (let i = 0; i < bytes.length; i += 7) {
      const damaged = bytes.slice()
      damaged[i] = (damaged[i] as number) ^ 0x10
      await expect(decodeCheckpoint(damaged, 'x.ckpt')).rejects.toThrow(FormatError)
    }
    for (const cut of [0, 10, 40, bytes.length - 1]) {
      await expect(decodeCheckpoint(bytes.subarray(0, cut), 'x.ckpt')).rejects.toThrow(/x\.ckpt/)
    }
  })

  it('reports a missing checkpoint', async () => {
    await expect(loadCheckpointFile(join(dir, 'none.ckpt'))).rejects.toThrow(InputError)
  })
})
