// Bundles a TypeScript entry with esbuild (workspace sources through the `source` condition except
// @sd-dropout/* packages, which run from their builds and find their own files) and runs it with
// Node: `node scripts/run-ts.mjs <file.ts> [args...]`. bench/run.mjs bundles its benchmarks the same way.
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Bundles `entry` to `outfile` (ESM, Node 20). */
export async function bundleTs(entry, outfile) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    conditions: ['source'],
    external: ['@sd-dropout/*', '@tensorflow/*', 'mnist', 'wrangler', 'miniflare', 'esbuild', 'vega', 'vega-lite', 'playwright-core'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  })
}

/** A scratch folder inside the repository (gitignored), so bundled code resolves node_modules. */
export function scratchDir(prefix) {
  const base = join(root, 'bench/results/raw')
  mkdirSync(base, { recursive: true })
  return mkdtempSync(join(base, `${prefix}-`))
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [entry, ...args] = process.argv.slice(2)
  if (entry === undefined) {
    console.error('usage: node scripts/run-ts.mjs <file.ts> [args...]')
    process.exit(2)
  }
  const scratch = scratchDir(basename(entry, '.ts'))
  try {
    const out = join(scratch, `${basename(entry, '.ts')}.mjs`)
    await bundleTs(resolve(entry), out)
    execFileSync(process.execPath, [out, ...args], { stdio: 'inherit', cwd: root })
  } catch (error) {
    process.exitCode = typeof error?.status === 'number' ? error.status : 1
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}
