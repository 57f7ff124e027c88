// Builds @sd-dropout/sdk: an ESM bundle per runtime entry (esbuild), declarations (tsc) and the
// SIMD WebAssembly kernels (AssemblyScript, sdk/wasm/build.mjs -> dist/head-kernel.wasm).
// Entries: index (universal: math, format, kernels, model core), node, browser, workerd; the
// tfjs wasm binaries are copied beside them for browsers.
import { execFileSync } from 'node:child_process'
import { copyFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { buildWasm } from './wasm/build.mjs'

const root = dirname(fileURLToPath(import.meta.url))
const dist = join(root, 'dist')
const require = createRequire(import.meta.url)
rmSync(dist, { recursive: true, force: true })
await buildWasm(dist)

const common = { outdir: dist, bundle: true, format: 'esm', target: 'es2022', sourcemap: true, packages: 'external', logLevel: 'warning' }
await build({ ...common, entryPoints: { index: join(root, 'src/index.ts') }, platform: 'neutral' })
await build({ ...common, entryPoints: { node: join(root, 'src/node.ts') }, platform: 'node' })
await build({ ...common, entryPoints: { browser: join(root, 'src/browser.ts') }, platform: 'browser' })
await build({ ...common, entryPoints: { workerd: join(root, 'src/workerd.ts') }, platform: 'neutral', external: ['./head-kernel.wasm'] })

for (const file of ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm']) {
  copyFileSync(require.resolve(`@tensorflow/tfjs-backend-wasm/dist/${file}`), join(dist, file))
}

execFileSync(process.execPath, [join(root, '../node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
