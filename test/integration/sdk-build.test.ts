import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as source from '@sd-dropout/sdk'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')

describe('the built sdk package', () => {
  it('exports exactly what the sources export, and computes the same values', async () => {
    const entry = join(root, 'sdk/dist/index.js')
    expect(existsSync(entry)).toBe(true)
    const built = (await import(entry)) as typeof source
    expect(Object.keys(built).sort()).toStrictEqual(Object.keys(source).sort())
    expect(built.dropoutHash(7, 31, 255)).toBe(source.dropoutHash(7, 31, 255))
    expect(Array.from(built.softmax([1, 2, 3], 0.5))).toStrictEqual(Array.from(source.softmax([1, 2, 3], 0.5)))
    expect(existsSync(join(root, 'sdk/dist/types/index.d.ts'))).toBe(true)
  })
})
