import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
// tfjs-core's Node entry registers no gradients; tfjs-layers' Node bundle registers all of them.
import '@tensorflow/tfjs-layers'
import { KernelError, OptionError } from '@sd-dropout/sdk'
import { fusedBatchNormGradConfig } from './gradients/fused-batch-norm-grad.js'
import { registerTrainingKernels } from './kernels/register-training-kernels.js'

/** What `--backend` accepts: `auto` tries node-gpu, node, wasm, cpu in that order. */
export const BACKEND_CHOICES = ['auto', 'node-gpu', 'node', 'wasm', 'cpu'] as const

/** One of {@link BACKEND_CHOICES}. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number]

/** A concrete backend kind (what `auto` resolves to). */
export type BackendKind = Exclude<BackendChoice, 'auto'>

/** Loads a module by name; the default is a runtime `import(name)`. Injected by tests to simulate absent packages. */
export type ModuleLoader = (name: string) => Promise<unknown>

/** The npm package that provides each backend kind. */
export const BACKEND_PACKAGES: Readonly<Record<BackendKind, string>> = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
}

/** The tfjs backend name each kind registers. */
const TFJS_NAMES: Readonly<Record<BackendKind, string>> = { 'node-gpu': 'tensorflow', node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' }

/** The backend a run uses, and why the ones before it were skipped. */
export interface SelectedBackend {
  readonly kind: BackendKind
  /** The tfjs backend name (`tensorflow`, `wasm`, `cpu`): what the provenance records. */
  readonly tfjsName: string
  /** One line per backend tried and skipped, e.g. `node-gpu: @tensorflow/tfjs-node-gpu is not installed`. */
  readonly skipped: readonly string[]
  /** A human line: `backend: wasm (SIMD) ...`. */
  readonly description: string
}

const defaultLoader: ModuleLoader = (name) => import(/* @vite-ignore */ name)

/**
 * Loads the packages of the backend to use, without activating it. `auto` takes the first of
 * node-gpu, node, wasm, cpu whose package imports; an explicit choice must import or it fails.
 * The node packages are optional peer dependencies: they are imported through a variable so that
 * no bundler or installer pulls them in (DESIGN section 3).
 *
 * @param choice `--backend`
 * @param load module loader (tests inject one where the node packages are absent)
 * @throws {OptionError} when an explicitly chosen backend's package cannot be imported.
 * @example
 * ```ts
 * const { kind, skipped } = await resolveBackend('auto', async (name) => { throw new Error(`no ${name}`) })
 * ```
 */
export async function resolveBackend(choice: BackendChoice, load: ModuleLoader = defaultLoader): Promise<{ kind: BackendKind; skipped: string[] }> {
  const order: readonly BackendKind[] = choice === 'auto' ? ['node-gpu', 'node', 'wasm', 'cpu'] : [choice]
  const skipped: string[] = []
  for (const kind of order) {
    try {
      await load(BACKEND_PACKAGES[kind])
      return { kind, skipped }
    } catch (error) {
      const reason = isModuleNotFound(error) ? `${BACKEND_PACKAGES[kind]} is not installed` : `${BACKEND_PACKAGES[kind]} failed to load (${messageOf(error)})`
      if (choice !== 'auto') {
        throw new OptionError('--backend', `${kind}: ${reason}; install it (npm install ${BACKEND_PACKAGES[kind]}) or choose another backend`)
      }
      skipped.push(`${kind}: ${reason}`)
    }
  }
  throw new KernelError(`no tfjs backend could be loaded: ${skipped.join('; ')}`)
}

/**
 * Chooses, loads and activates the training backend (`tf.setBackend`), registering the gradient
 * kernels and fast paths wasm needs (see {@link registerTrainingKernels}); in Node the wasm
 * binaries are located with `createRequire(import.meta.url).resolve`.
 *
 * @param choice `--backend` (default `auto`)
 * @param load module loader (tests inject one)
 * @throws {OptionError} for an explicit choice that is not installed.
 * @throws {KernelError} when the backend does not initialise.
 * @example
 * ```ts
 * const backend = await selectBackend('auto')
 * console.error(backend.description) // backend: wasm (SIMD) ...
 * ```
 */
export async function selectBackend(choice: BackendChoice = 'auto', load: ModuleLoader = defaultLoader): Promise<SelectedBackend> {
  const { kind, skipped } = await resolveBackend(choice, load)
  const tfjsName = TFJS_NAMES[kind]
  if (kind === 'wasm') await prepareWasm()
  if (kind === 'wasm' || kind === 'cpu') registerTrainingKernels(tfjsName)
  tf.registerGradient(fusedBatchNormGradConfig)
  const ok = await tf.setBackend(tfjsName)
  if (!ok || tf.getBackend() !== tfjsName) throw new KernelError(`the ${kind} backend (${tfjsName}) failed to initialise`, { kind })
  await tf.ready()
  const simd = kind === 'wasm' ? (tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? ' (SIMD)' : ' (no SIMD)') : ''
  const description = `backend: ${kind}${simd}, tfjs ${tf.version_core}${skipped.length > 0 ? ` [skipped ${skipped.join('; ')}]` : ''}`
  return { kind, tfjsName, skipped, description }
}

let wasmPrepared = false

async function prepareWasm(): Promise<void> {
  if (wasmPrepared) return
  const wasm = await import('@tensorflow/tfjs-backend-wasm')
  if (typeof process !== 'undefined' && process.versions?.node !== undefined) {
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')
    wasm.setWasmPaths(`${dirname(entry)}/`)
  }
  wasmPrepared = true
}

function isModuleNotFound(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND'
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)
}
