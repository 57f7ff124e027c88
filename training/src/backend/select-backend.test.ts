import * as tf from '@tensorflow/tfjs-core'
import { describe, expect, it } from 'vitest'
import { OptionError } from '@sd-dropout/sdk'
import { resolveBackend, selectBackend, type ModuleLoader } from './select-backend.js'

/** A loader where the two tfjs-node packages are absent (as on these machines) and others import. */
const withoutNodePackages: ModuleLoader = async (name) => {
  if (name.startsWith('@tensorflow/tfjs-node')) {
    const error = new Error(`Cannot find package '${name}'`) as Error & { code: string }
    error.code = 'ERR_MODULE_NOT_FOUND'
    throw error
  }
  return import(/* @vite-ignore */ name)
}

describe('backend selection', () => {
  it('falls back to wasm when neither node package resolves, saying why', async () => {
    const resolved = await resolveBackend('auto', withoutNodePackages)
    expect(resolved).toStrictEqual({
      kind: 'wasm',
      skipped: ['node-gpu: @tensorflow/tfjs-node-gpu is not installed', 'node: @tensorflow/tfjs-node is not installed'],
    })
    const selected = await selectBackend('auto', withoutNodePackages)
    expect(selected.tfjsName).toBe('wasm')
    expect(tf.getBackend()).toBe('wasm')
    expect(selected.description).toMatch(/^backend: wasm \(SIMD\), tfjs 4\.22\.0 \[skipped node-gpu: .* not installed; node: .* not installed\]$/)
  })

  it('prefers tfjs-node-gpu, then tfjs-node, when they load', async () => {
    const everything: ModuleLoader = () => Promise.resolve({})
    expect(await resolveBackend('auto', everything)).toStrictEqual({ kind: 'node-gpu', skipped: [] })
    const noGpu: ModuleLoader = (name) => (name === '@tensorflow/tfjs-node-gpu' ? Promise.reject(new Error('libcuda.so.1: cannot open shared object file')) : Promise.resolve({}))
    expect(await resolveBackend('auto', noGpu)).toStrictEqual({
      kind: 'node',
      skipped: ['node-gpu: @tensorflow/tfjs-node-gpu failed to load (libcuda.so.1: cannot open shared object file)'],
    })
  })

  it('falls back to cpu when wasm is unavailable too, and --backend overrides', async () => {
    const onlyCpu: ModuleLoader = (name) => (name === '@tensorflow/tfjs-backend-cpu' ? import('@tensorflow/tfjs-backend-cpu') : Promise.reject(Object.assign(new Error('absent'), { code: 'ERR_MODULE_NOT_FOUND' })))
    expect((await resolveBackend('auto', onlyCpu)).kind).toBe('cpu')
    const selected = await selectBackend('cpu', withoutNodePackages)
    expect(selected).toMatchObject({ kind: 'cpu', tfjsName: 'cpu', skipped: [] })
    expect(tf.getBackend()).toBe('cpu')
  })

  it('fails clearly when an explicitly chosen backend is not installed', async () => {
    await expect(resolveBackend('node-gpu', withoutNodePackages)).rejects.toThrow(OptionError)
    await expect(resolveBackend('node', withoutNodePackages)).rejects.toThrow(/option --backend: node: @tensorflow\/tfjs-node is not installed; install it \(npm install @tensorflow\/tfjs-node\)/)
  })
})
