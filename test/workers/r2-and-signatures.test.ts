import { generateSigningKeyPair, importPrivateKey, loadModel, readBundle, type SdModel } from '@sd-dropout/sdk'
import * as v from 'valibot'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { modelDetailSchema, modelListSchema, predictResponseSchema } from '../../workers/src/schemas/responses.js'
import { testBundle, testInputs } from '../../sdk/src/model/test-model.js'
import { expectClose, json, rows } from './fixtures.js'
import { rewriteBundle } from './fixtures.js'
import { startLocalWorker, type LocalWorker } from './local-worker.js'

// Models by name from an R2 bucket (Miniflare's local R2, seeded before start) and signature
// verification with a configured public key, in real workerd: every bundle must carry a valid
// Ed25519 signature under MODEL_PUBLIC_KEY, or its model is refused with 503 model_unavailable.

let worker: LocalWorker
let reference: SdModel
const batch = testInputs(4, 9)
const MODELS = {
  digits: 'models/digits.sdd',
  unsigned: 'models/unsigned.sdd',
  'other-key': 'models/other-key.sdd',
  tampered: 'models/tampered.sdd',
  missing: 'models/missing.sdd',
}

beforeAll(async () => {
  const [keys, otherKeys] = await Promise.all([generateSigningKeyPair(), generateSigningKeyPair()])
  const signingKey = await importPrivateKey(keys.privateKey)
  const base = await testBundle()
  const digits = await rewriteBundle(base, { name: 'digits', signingKey })
  const tampered = digits.slice()
  const weight = (await readBundle(digits)).part('head.weight')
  tampered[weight.offset + 5] = (tampered[weight.offset + 5] as number) ^ 0x01
  const r2Objects = {
    [MODELS.digits]: digits,
    [MODELS.unsigned]: await rewriteBundle(base, { name: 'unsigned' }),
    [MODELS['other-key']]: await rewriteBundle(base, { name: 'other-key', signingKey: await importPrivateKey(otherKeys.privateKey) }),
    [MODELS.tampered]: tampered,
  }
  ;[worker, reference] = await Promise.all([
    startLocalWorker({
      name: 'r2-signatures',
      bundle: await rewriteBundle(base, { signingKey }),
      vars: { MODELS: JSON.stringify(MODELS), MODEL_PUBLIC_KEY: keys.publicKey },
      r2Objects,
    }),
    loadModel(digits, { publicKey: keys.publicKey }),
  ])
})
afterAll(async () => {
  await worker?.dispose()
  reference?.dispose()
})

const predict = (name: string) =>
  worker.fetch(`/v1/models/${name}/predict?samples=32&seed=3`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows(batch, 64) }) })

describe('models from R2 with signature verification, in workerd', () => {
  it('serves a signed bundle from R2 with the same numbers as the SDK in Node', async () => {
    const response = await predict('digits')
    expect(response.status).toBe(200)
    const body = v.parse(predictResponseSchema, await json(response))
    expect(body.model).toStrictEqual({ name: 'digits', id: reference.info.id, sha256: reference.info.sha256 })
    expectClose(body.predictions, await reference.predict(batch, { samples: 32, seed: 3 }))
    const detail = v.parse(modelDetailSchema, await json(await worker.fetch('/v1/models/digits')))
    expect([detail.source, detail.default, detail.signatureVerified]).toStrictEqual(['r2', false, true])
  })

  it('verifies the built-in bundle too', async () => {
    const detail = v.parse(modelDetailSchema, await json(await worker.fetch('/v1/models/test-model')))
    expect([detail.source, detail.default, detail.signatureVerified]).toStrictEqual(['built-in', true, true])
    expect((await worker.fetch('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows(batch, 64) }) })).status).toBe(200)
  })

  it('refuses unsigned, wrongly signed and tampered bundles, and a missing object, with 503 model_unavailable', async () => {
    const causes: Record<string, unknown> = {}
    for (const name of ['unsigned', 'other-key', 'tampered', 'missing']) {
      const response = await predict(name)
      const error = (await json(response)).error as { code: string; message: string; details: { cause: string; model: string } }
      expect([response.status, error.code, error.details.model], name).toStrictEqual([503, 'model_unavailable', name])
      causes[name] = error.details.cause
    }
    expect(causes).toStrictEqual({ unsigned: 'signature_error', 'other-key': 'signature_error', tampered: 'integrity_error', missing: 'r2_not_found' })
  })

  it('lists every configured model, the refused ones with their error', async () => {
    const list = v.parse(modelListSchema, await json(await worker.fetch('/v1/models')))
    expect(list.default).toBe('test-model')
    expect(list.models.map((model) => [model.name, model.source, 'error' in model ? model.error.code : 'ok'])).toStrictEqual([
      ['test-model', 'built-in', 'ok'],
      ['digits', 'r2', 'ok'],
      ['unsigned', 'r2', 'model_unavailable'],
      ['other-key', 'r2', 'model_unavailable'],
      ['tampered', 'r2', 'model_unavailable'],
      ['missing', 'r2', 'model_unavailable'],
    ])
  })
})
