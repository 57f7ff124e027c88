import { existsSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { KernelError } from '../../errors.js'
import type { HeadKernel } from '../head-kernel.js'
import { createWasmHeadKernel } from '../wasm-head-kernel.js'

const PACKAGE_NAME = '@sd-dropout/sdk'

/**
 * Node only: the path of `head-kernel.wasm` in this package's `dist/` folder, found by walking up
 * from this module to the `@sd-dropout/sdk` package root (works from the sources, from the built
 * `dist/` bundle and from `node_modules`). The file is built by `npm run build`, never committed.
 *
 * @throws {KernelError} when no enclosing `@sd-dropout/sdk` package root is found.
 * @example
 * ```ts
 * headKernelWasmPath() // '/app/node_modules/@sd-dropout/sdk/dist/head-kernel.wasm'
 * ```
 */
export function headKernelWasmPath(): string {
  let directory = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const manifest = join(directory, 'package.json')
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) {
      return join(directory, 'dist', 'head-kernel.wasm')
    }
    const parent = dirname(directory)
    if (parent === directory) throw new KernelError(`cannot find the ${PACKAGE_NAME} package root above ${fileURLToPath(import.meta.url)}`, { kernel: 'wasm-simd' })
    directory = parent
  }
}

/**
 * Node only: reads `head-kernel.wasm` (default {@link headKernelWasmPath}), compiles it and
 * initialises the fused SIMD head kernel with `createWasmHeadKernel`, once per process: later calls
 * (from `loadModel`, the trainer, ...) get the same kernel.
 *
 * @param path the .wasm file to load
 * @throws {KernelError} when the file is missing (run `npm run build`), SIMD is unsupported, or on a second init.
 * @example
 * ```ts
 * const kernel = await loadWasmHeadKernel()
 * const head = kernel.prepare({ weight, bias, featureDim: 256, classes: 10 })
 * ```
 */
export function loadWasmHeadKernel(path: string = headKernelWasmPath()): Promise<HeadKernel> {
  // The wasm kernel is initialised once per process; every caller (loadModel, the trainer, benches)
  // shares that one instance, whichever asks first.
  shared ??= readHeadKernelWasm(path)
    .then((bytes) => createWasmHeadKernel(bytes))
    .catch((error: unknown) => {
      shared = null
      throw error
    })
  return shared
}

let shared: Promise<HeadKernel> | null = null

/**
 * Node only: the bytes of `head-kernel.wasm` (default {@link headKernelWasmPath}).
 *
 * @throws {KernelError} when the file is missing, saying to run `npm run build`.
 * @example
 * ```ts
 * const module = await WebAssembly.compile(await readHeadKernelWasm())
 * ```
 */
export async function readHeadKernelWasm(path: string = headKernelWasmPath()): Promise<Uint8Array<ArrayBuffer>> {
  if (!existsSync(path)) {
    throw new KernelError(`head-kernel.wasm not found at ${path}: run \`npm run build\` first (it is compiled from sdk/wasm, not committed)`, { kernel: 'wasm-simd', path })
  }
  return new Uint8Array(await readFile(path))
}
