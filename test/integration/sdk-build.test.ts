import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import * as nodeSource from '@sd-dropout/sdk'
import * as universalSource from '../../sdk/src/index.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const dist = join(root, 'sdk/dist')

describe('the built sdk package', () => {
  it('exports from dist/node.js exactly what the Node entry source exports, with the same values', async () => {
    const built = (await import(join(dist, 'node.js'))) as typeof nodeSource
    expect(Object.keys(built).sort()).toStrictEqual(Object.keys(nodeSource).sort())
    expect(built.dropoutHash(7, 31, 255)).toBe(nodeSource.dropoutHash(7, 31, 255))
    expect(Array.from(built.softmax([1, 2, 3], 0.5))).toStrictEqual(Array.from(nodeSource.softmax([1, 2, 3], 0.5)))
  })

  it('exports from dist/index.js exactly what the universal entry exports, without Node-only helpers', async () => {
    const built = (await import(join(dist, 'index.js'))) as typeof universalSource
    expect(Object.keys(built).sort()).toStrictEqual(Object.keys(universalSource).sort())
    expect('loadModel' in built).toBe(false)
    expect('writeBundleFile' in built).toBe(false)
  })

  it('ships every runtime entry, the declarations and the wasm binaries', () => {
    for (const file of ['index.js', 'node.js', 'browser.js', 'workerd.js', 'head-kernel.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm', 'types/node.d.ts', 'types/workerd.d.ts']) {
      expect(existsSync(join(dist, file)), file).toBe(true)
    }
  })
})
