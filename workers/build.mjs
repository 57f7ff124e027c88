// Builds @sd-dropout/workers as a library: dist/index.js (ESM, esbuild, dependencies external) and
// its declarations (tsc -> dist/types), and the playground page's static assets (dist/playground,
// served at `/` through wrangler.toml's [assets]). The deployable Worker is built by wrangler from
// wrangler.toml at the repository root (`npm start`, `npx wrangler deploy`), not here.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { buildPlayground } from './playground/build-playground.mjs'

const root = dirname(fileURLToPath(import.meta.url))
const dist = join(root, 'dist')
rmSync(dist, { recursive: true, force: true })
await build({
  entryPoints: { index: join(root, 'src/index.ts') },
  outdir: dist,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
execFileSync(process.execPath, [join(root, '../node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
await buildPlayground(join(dist, 'playground'))
