// Builds @sd-dropout/sdk: an ESM bundle per entry (esbuild) and declarations (tsc).
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = dirname(fileURLToPath(import.meta.url))
rmSync(join(root, 'dist'), { recursive: true, force: true })

await build({
  entryPoints: { index: join(root, 'src/index.ts') },
  outdir: join(root, 'dist'),
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
})

execFileSync(process.execPath, [join(root, '../node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
