// Builds the playground page into a static-asset folder that wrangler.toml's `[assets]` serves
// (index.html at `/`, everything else under `/playground/`): type-checks the page (DOM types, its
// own tsconfig), bundles main.ts with the SDK's browser entry, tfjs and the image decoders into one
// ES module (esbuild), minifies the CSS, and copies the wasm binaries the SDK fetches from beside
// the script (tfjs-backend-wasm SIMD and plain, our head kernel) out of the SDK's build.
import { execFileSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const require = createRequire(import.meta.url)

/** The wasm files the SDK's browser entry fetches (`setWasmBaseUrl` points at their folder). */
export const PLAYGROUND_WASM = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm', 'head-kernel.wasm']

/**
 * Writes the playground's assets to `outDir`: index.html, _headers (CSP), playground/playground.js
 * (with its LEGAL.txt of licence notices), playground/playground.css and playground/*.wasm.
 */
export async function buildPlayground(outDir) {
  execFileSync(process.execPath, [join(here, '../../node_modules/typescript/bin/tsc'), '-p', join(here, 'tsconfig.json')], { stdio: 'inherit' })
  rmSync(outDir, { recursive: true, force: true })
  const assets = join(outDir, 'playground')
  mkdirSync(assets, { recursive: true })
  const common = { bundle: true, minify: true, target: 'es2022', logLevel: 'warning', legalComments: 'linked' }
  await build({ ...common, entryPoints: [join(here, 'main.ts')], outfile: join(assets, 'playground.js'), format: 'esm', platform: 'browser' })
  await build({ ...common, entryPoints: [join(here, 'playground.css')], outfile: join(assets, 'playground.css') })
  const sdkDist = join(dirname(require.resolve('@sd-dropout/sdk/package.json')), 'dist')
  for (const file of PLAYGROUND_WASM) {
    if (!existsSync(join(sdkDist, file))) throw new Error(`${join(sdkDist, file)} is missing: build the SDK first (npm run build -w sdk)`)
    copyFileSync(join(sdkDist, file), join(assets, file))
  }
  copyFileSync(join(here, 'index.html'), join(outDir, 'index.html'))
  copyFileSync(join(here, '_headers'), join(outDir, '_headers'))
}
