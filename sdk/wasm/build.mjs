// Compiles the AssemblyScript SIMD kernels (sdk/wasm/assembly) to WebAssembly:
// - assembly/index.ts      -> <outDir>/head-kernel.wasm (the fused MC-dropout head the SDK ships);
// - assembly/peak-flops.ts -> sdk/wasm/build/peak-flops.wasm (the single-core SIMD peak probe the
//   benchmark measures against; not shipped).
// Raw exports ABI, no JS glue: `minimal` runtime (TLSF allocator; no GC objects are created), no
// imports (`abort` removed), SIMD on, -O3. Run directly (`node sdk/wasm/build.mjs`) or from sdk/build.mjs.
import { mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import asc from 'assemblyscript/asc'

const here = dirname(fileURLToPath(import.meta.url))
const FLAGS = ['--runtime', 'minimal', '--use', 'abort=', '--enable', 'simd', '-O3', '--noAssert']

/** Compiles every kernel; `outDir` receives head-kernel.wasm (default: sdk/dist). */
export async function buildWasm(outDir = join(here, '../dist')) {
  mkdirSync(outDir, { recursive: true })
  mkdirSync(join(here, 'build'), { recursive: true })
  await compile('assembly/index.ts', join(outDir, 'head-kernel.wasm'))
  await compile('assembly/peak-flops.ts', join(here, 'build/peak-flops.wasm'))
}

async function compile(entry, outFile) {
  const { error, stderr } = await asc.main([join(here, entry), ...FLAGS, '--outFile', outFile], {})
  if (error) throw new Error(`AssemblyScript failed to compile ${entry}: ${error.message}\n${stderr.toString()}`)
  if (stderr.toString().trim() !== '') process.stderr.write(stderr.toString()) // warnings
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildWasm()
