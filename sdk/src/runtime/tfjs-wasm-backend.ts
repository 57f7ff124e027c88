import * as tf from '@tensorflow/tfjs-core'
import { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import wasmFactoryModule from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm.js'
import { KernelError } from '../errors.js'

/** Which tfjs-backend-wasm binary runs the backbone. */
export type TfjsWasmFlavour = 'wasm-simd' | 'wasm'

/** The emscripten module of tfjs-backend-wasm, as far as we drive it. */
interface EmscriptenBackendModule {
  cwrap(name: string, returnType: string | null, argumentTypes: string[]): (...args: number[]) => number
  tfjs?: Record<string, (...args: number[]) => number>
}

type EmscriptenFactory = (config: {
  instantiateWasm: (imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) => object
  locateFile?: (path: string) => string
  onAbort?: (reason: unknown) => void
}) => Promise<EmscriptenBackendModule>

const factory = ((wasmFactoryModule as { default?: unknown }).default ?? wasmFactoryModule) as EmscriptenFactory

let initialised: Promise<TfjsWasmFlavour> | null = null
let initialisedFlavour: TfjsWasmFlavour | null = null

/**
 * Makes tfjs run on `@tensorflow/tfjs-backend-wasm` from a precompiled `WebAssembly.Module` of
 * its binary (`dist/tfjs-backend-wasm-simd.wasm`, or the plain one where SIMD is missing). One code
 * path for every runtime: Node compiles the file it reads, browsers compile what they fetch, and
 * Workers pass the module their bundler imported (workerd cannot compile wasm from bytes). The
 * emscripten factory receives the module through its `instantiateWasm` hook, so it never fetches
 * or reads anything itself (tfjs issue #8157). Threads are off (none in Node or Workers).
 *
 * Idempotent: a second call returns the first result. If tfjs already runs an initialised `wasm`
 * backend (e.g. the trainer set it up through tfjs-backend-wasm's own loader), that one is used.
 *
 * @throws {KernelError} when the module cannot be instantiated.
 * @example
 * ```ts
 * await initTfjsWasmBackend(await WebAssembly.compile(bytes), 'wasm-simd')
 * ```
 */
export function initTfjsWasmBackend(binary: WebAssembly.Module, flavour: TfjsWasmFlavour): Promise<TfjsWasmFlavour> {
  initialised ??= start(binary, flavour).catch((error: unknown) => {
    initialised = null
    throw error instanceof KernelError ? error : new KernelError(`tfjs wasm backend failed to start: ${describe(error)}`, {}, { cause: error })
  })
  return initialised
}

/** The flavour running now, or null before {@link initTfjsWasmBackend} finished. */
export function tfjsWasmFlavour(): TfjsWasmFlavour | null {
  return initialisedFlavour
}

async function start(binary: WebAssembly.Module, flavour: TfjsWasmFlavour): Promise<TfjsWasmFlavour> {
  // `tf.engine().registry` holds initialised backends only; `tf.findBackend` would run
  // tfjs-backend-wasm's own loader (and log its fetch failure) when none is initialised.
  if (tf.engine().registry.wasm !== undefined && tf.getBackend() === 'wasm') {
    initialisedFlavour = tf.env().getBool('WASM_HAS_SIMD_SUPPORT') ? 'wasm-simd' : 'wasm'
    return initialisedFlavour
  }
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
  tf.env().set('WASM_HAS_SIMD_SUPPORT', flavour === 'wasm-simd')
  tf.removeBackend('wasm')
  tf.registerBackend('wasm', async () => new BackendWasm(await instantiate(binary) as never), 2)
  if (!(await tf.setBackend('wasm'))) throw new KernelError('tfjs could not switch to the wasm backend')
  await tf.ready()
  initialisedFlavour = flavour
  return flavour
}

async function instantiate(binary: WebAssembly.Module): Promise<EmscriptenBackendModule> {
  let abort: unknown = null
  const before = processListeners()
  const wasm = await factory({
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(binary, imports).then(
        (instance) => receive(instance, binary),
        (error: unknown) => {
          abort = error
        },
      )
      return {}
    },
    locateFile: (path) => path,
    onAbort: (reason) => {
      abort = reason
    },
  })
  removeAddedListeners(before)
  if (abort !== null) throw new KernelError(`tfjs wasm module aborted: ${describe(abort)}`)
  const voidType = null
  wasm.tfjs = {
    init: wasm.cwrap('init', voidType, []),
    initWithThreadsCount: wasm.cwrap('init_with_threads_count', voidType, ['number']),
    getThreadsCount: wasm.cwrap('get_threads_count', 'number', []),
    registerTensor: wasm.cwrap('register_tensor', voidType, ['number', 'number', 'number']),
    disposeData: wasm.cwrap('dispose_data', voidType, ['number']),
    dispose: wasm.cwrap('dispose', voidType, []),
  }
  return wasm
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message)
  return String(error)
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection'
type Listener = (...args: unknown[]) => void
interface ProcessLike {
  listeners(event: ProcessEvent): Listener[]
  removeListener(event: ProcessEvent, listener: Listener): void
}
const EVENTS: readonly ProcessEvent[] = ['uncaughtException', 'unhandledRejection']

function nodeProcess(): ProcessLike | null {
  const candidate = (globalThis as { process?: Partial<ProcessLike> }).process
  return typeof candidate?.listeners === 'function' && typeof candidate.removeListener === 'function' ? (candidate as ProcessLike) : null
}

/** The process's error listeners now (Node only; empty elsewhere). */
function processListeners(): Map<ProcessEvent, Listener[]> {
  const process = nodeProcess()
  return new Map(EVENTS.map((event) => [event, process?.listeners(event) ?? []]))
}

/**
 * In Node, tfjs-backend-wasm's emscripten glue installs process-wide `uncaughtException` and
 * `unhandledRejection` handlers that rethrow, so any later unhandled error in the application
 * prints the whole minified glue source. Nothing of ours needs them: remove what the factory added.
 */
function removeAddedListeners(before: Map<ProcessEvent, Listener[]>): void {
  const process = nodeProcess()
  if (process === null) return
  for (const event of EVENTS) {
    const existing = before.get(event) ?? []
    for (const listener of process.listeners(event)) if (!existing.includes(listener)) process.removeListener(event, listener)
  }
}
