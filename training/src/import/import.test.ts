import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { FormatError, readBundleFile } from '@sd-dropout/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selectBackend } from '../backend/select-backend.js'
import { encodeIdx } from '../data/idx-file.js'
import { openBundleModel } from '../evaluate/open-bundle-model.js'
import { silentProgress } from '../loop/progress-reporter.js'
import { runCli } from '../cli/main.js'
import { loadLayersModelFile, readLayersModelArtifacts } from './read-layers-model.js'
import { splitClassifier } from './split-classifier.js'
import { checkHtmlStructure } from '../report/html-structure.js'

// Models built and saved by tfjs itself (model.json + weights.bin, as the TensorFlow.js converter
// writes them), imported through the CLI, and served through the SDK: before calibration the
// bundle's logits must be the original model's.

const dir = mkdtempSync(join(tmpdir(), 'sdd-import-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
beforeAll(async () => {
  await selectBackend('wasm')
})

/** Saves a model as `<name>/model.json` + `<name>/weights.bin` through tf.io.withSaveHandler. */
async function save(model: tfl.LayersModel, name: string): Promise<string> {
  const folder = join(dir, name)
  mkdirSync(folder, { recursive: true })
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      const weights = artifacts.weightData as ArrayBuffer
      writeFileSync(join(folder, 'weights.bin'), new Uint8Array(weights))
      const json = { format: 'layers-model', generatedBy: 'test', convertedBy: null, modelTopology: artifacts.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }] }
      writeFileSync(join(folder, 'model.json'), JSON.stringify(json))
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })
    }),
  )
  return join(folder, 'model.json')
}

async function cli(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const status = await runCli(argv, { stdout: (text) => (stdout += text), progress: silentProgress, onInterrupt: () => () => undefined }, (text) => (stderr += text))
  return { status, stdout, stderr }
}

/** Logits of `model` with its last (softmax) activation made linear: an independent reference. */
function referenceLogits(model: tfl.LayersModel, build: (activation: 'linear') => tfl.LayersModel, x: tf.Tensor): Float32Array {
  const linear = build('linear')
  linear.setWeights(model.getWeights())
  const logits = tf.tidy(() => (linear.predict(x) as tf.Tensor).dataSync() as Float32Array)
  linear.dispose()
  return logits
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length)
  actual.forEach((value, k) => {
    const reference = expected[k] as number
    expect(Math.abs(value - reference), `value ${k}: ${value} vs ${reference}`).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(reference))
  })
}

/** n rows of 4 features around one centre per class (3 classes), deterministic. */
function tabular(n: number, offset: number): { rows: number[][]; labels: number[] } {
  const rows: number[][] = []
  const labels: number[] = []
  for (let i = 0; i < n; i++) {
    const c = i % 3
    rows.push([0, 1, 2, 3].map((j) => (j === c ? 2 : 0) + Math.sin(7.1 * (i + offset) + 1.3 * j)))
    labels.push(c)
  }
  return { rows, labels }
}

describe('sd-dropout import', () => {
  it('a Sequential MLP with a softmax classifier and CSV data: the bundle serves the model\'s logits', async () => {
    const build = (activation: 'softmax' | 'linear') =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({ inputShape: [4], units: 8, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }), biasInitializer: tfl.initializers.randomNormal({ seed: 2, stddev: 0.1 }) }),
          tfl.layers.dropout({ rate: 0.3 }),
          tfl.layers.dense({ units: 3, activation, kernelInitializer: tfl.initializers.glorotUniform({ seed: 3 }), biasInitializer: tfl.initializers.randomNormal({ seed: 4, stddev: 0.1 }) }),
        ],
      })
    const model = build('softmax')
    const modelJson = await save(model, 'mlp')
    const toCsv = ({ rows, labels }: ReturnType<typeof tabular>) => `a,b,c,d,label\n${rows.map((r, i) => `${r.join(',')},${['cat', 'dog', 'eel'][labels[i] as number]}`).join('\n')}\n`
    writeFileSync(join(dir, 'train.csv'), toCsv(tabular(90, 0)))
    const test = tabular(30, 1000)
    writeFileSync(join(dir, 'test.csv'), toCsv(test))
    const out = join(dir, 'mlp.sdd')
    const result = await cli(['import', '--model', modelJson, '--data', 'csv', '--train-data', join(dir, 'train.csv'), '--test-data', join(dir, 'test.csv'), '--out', out, '--name', 'tabular', '--backend', 'wasm', '--ood-samples', '8', '--report', join(dir, 'mlp.html')])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/classifier dense_Dense\d+ \(softmax\), D = 8, C = 3, p = 0\.3, S = 8/)

    const bundle = await readBundleFile(out)
    expect(bundle.manifest).toMatchObject({ name: 'tabular', labels: ['cat', 'dog', 'eel'], input: { shape: [4], kind: 'vector', image: null }, head: { inputDim: 8, classes: 3, dropoutRate: 0.3 }, backbone: { architecture: 'imported' }, provenance: { method: 'imported' } })
    expect(Object.keys(bundle.manifest.metrics).sort()).toStrictEqual(['test', 'test-deterministic', 'validation', 'validation-deterministic'])
    const served = await openBundleModel(new Uint8Array(readFileSync(out)))
    try {
      const x = Float32Array.from(test.rows.flat())
      const { features, batch } = await served.features(x)
      const logits = served.head(features, batch, { samples: 0 }).logits
      expectClose(logits, tf.tidy(() => referenceLogits(model, build, tf.tensor2d(x, [30, 4]))))
      // and the probabilities of the original softmax model, at T = 1
      const probabilities = tf.tidy(() => tf.softmax(tf.tensor2d(logits, [30, 3])).dataSync() as Float32Array)
      expectClose(probabilities, tf.tidy(() => (model.predict(tf.tensor2d(x, [30, 4])) as tf.Tensor).dataSync() as Float32Array))
      // its report (--report) says what an imported vector model lacks: a training history and image OOD sets
      const html = readFileSync(join(dir, 'mlp.html'), 'utf8')
      expect(checkHtmlStructure(html)).toStrictEqual([])
      expect(html).toContain('This bundle keeps no training history')
      expect(html).toContain('No OOD sets were evaluated.')
    } finally {
      served.dispose()
      model.dispose()
    }
  })

  it('a functional CNN with a linear classifier on IDX images, with the input normalisation it was trained with', async () => {
    const build = (activation: 'linear') => {
      const input = tfl.input({ shape: [8, 8, 1] })
      let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: 5 }) }).apply(input) as tfl.SymbolicTensor
      x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor
      const z = tfl.layers.dense({ units: 2, activation, kernelInitializer: tfl.initializers.glorotUniform({ seed: 6 }), biasInitializer: tfl.initializers.constant({ value: 0.25 }) }).apply(x) as tfl.SymbolicTensor
      return tfl.model({ inputs: input, outputs: z })
    }
    const model = build('linear')
    const modelJson = await save(model, 'cnn')
    const count = 40
    const pixels = Uint8Array.from({ length: count * 64 }, (_, k) => (Math.floor(k / 64) % 2 === 0 ? (k * 37) % 256 : 255 - ((k * 11) % 128)))
    writeFileSync(join(dir, 'images.idx'), encodeIdx([count, 8, 8], pixels))
    writeFileSync(join(dir, 'labels.idx'), encodeIdx([count], Uint8Array.from({ length: count }, (_, i) => i % 2)))
    const out = join(dir, 'cnn.sdd')
    const result = await cli(['import', '--model', modelJson, '--data', 'idx', '--train-images', join(dir, 'images.idx'), '--train-labels', join(dir, 'labels.idx'), '--mean', '0.5', '--std', '0.25', '--labels', 'even,odd', '--validation-fraction', '0.25', '--out', out, '--backend', 'wasm'])
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    expect(result.stdout).toMatch(/\(linear\), D = 4, C = 2, p = 0, S = 0/)
    const bundle = await readBundleFile(out)
    expect(bundle.manifest.input).toStrictEqual({ shape: [8, 8, 1], kind: 'image', image: { channels: 1, height: 8, width: 8, scale: 1 / 255, mean: [0.5], std: [0.25], invert: false, mnistCentering: false } })
    expect(bundle.manifest.ood.samples).toBe(0)
    const served = await openBundleModel(new Uint8Array(readFileSync(out)))
    try {
      const x = Float32Array.from(pixels, (v) => (v / 255 - 0.5) / 0.25) // what the model was trained on
      const { features, batch } = await served.features(x)
      expectClose(served.head(features, batch, { samples: 0 }).logits, tf.tidy(() => (model.predict(tf.tensor4d(x, [count, 8, 8, 1])) as tf.Tensor).dataSync() as Float32Array))
    } finally {
      served.dispose()
      model.dispose()
    }
  })

  it('evaluate --shift on a flat model (input [64]) equals the same weights taking 8 x 8 x 1 images', async () => {
    // the corruptions must act on the 8 x 8 image, whatever the model's input layout
    const build = (shape: number[]) => {
      const input = tfl.input({ shape })
      const flat = shape.length === 1 ? input : (tfl.layers.flatten({}).apply(input) as tfl.SymbolicTensor)
      const h = tfl.layers.dense({ units: 6, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }) }).apply(flat) as tfl.SymbolicTensor
      const z = tfl.layers.dense({ units: 2, kernelInitializer: tfl.initializers.glorotUniform({ seed: 9 }) }).apply(h) as tfl.SymbolicTensor
      return tfl.model({ inputs: input, outputs: z })
    }
    const count = 40
    // even items: the left half lit; odd: the top half; plus a deterministic texture per pixel
    const pixels = Uint8Array.from({ length: count * 64 }, (_, k) => (Math.floor(k / 64) % 2 === 0 ? (k % 8 < 4 ? 200 : 10) : (Math.floor(k / 8) % 8 < 4 ? 200 : 10)) + ((k * 37) % 41))
    writeFileSync(join(dir, 'halves.idx'), encodeIdx([count, 8, 8], pixels))
    writeFileSync(join(dir, 'halves-labels.idx'), encodeIdx([count], Uint8Array.from({ length: count }, (_, i) => i % 2)))
    const data = ['--data', 'idx', '--train-images', join(dir, 'halves.idx'), '--train-labels', join(dir, 'halves-labels.idx'), '--labels', 'left,top', '--validation-fraction', '0.25', '--backend', 'wasm']
    const rows: unknown[] = []
    for (const [name, shape] of [['flat', [64]], ['image', [8, 8, 1]]] as const) {
      const model = build([...shape])
      const out = join(dir, `${name}.sdd`)
      const imported = await cli(['import', '--model', await save(model, name), ...data, '--out', out])
      model.dispose()
      expect(imported.stderr).toBe('')
      const evaluated = await cli(['evaluate', '--bundle', out, '--data', 'idx', '--test-images', join(dir, 'halves.idx'), '--test-labels', join(dir, 'halves-labels.idx'), '--synthetic-ood', 'none', '--shift', 'blur,rotation,contrast', '--severities', '3', '--json', '--backend', 'wasm'])
      expect(evaluated.stderr).toBe('')
      rows.push((JSON.parse(evaluated.stdout) as { shifts: unknown[] }).shifts)
    }
    expect(rows[0]).toStrictEqual(rows[1])
    // and the corrupted images were images: rotation by 30 degrees keeps most of the halves apart, contrast 0.3 too
    const [blur, rotation] = rows[1] as { accuracy: number }[]
    expect(blur?.accuracy).toBeGreaterThan(0)
    expect(rotation?.accuracy).toBeGreaterThan(0)
  })

  it('refuses models it cannot split and damaged files, naming them', async () => {
    const sigmoid = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2, activation: 'sigmoid' })] })
    expect(() => splitClassifier(sigmoid, 'multi.json')).toThrow(/multi\.json: its classifier dense_Dense\d+ has activation sigmoid/)
    const pooled = tfl.sequential({ layers: [tfl.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 1 }), tfl.layers.globalAveragePooling2d({})] })
    expect(() => splitClassifier(pooled, 'conv.json')).toThrow(/its last layer global_average_pooling2d_GlobalAveragePooling2D\d+ is a GlobalAveragePooling2D; import needs a dense classifier/)
    const softmaxAfter = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 2 }), tfl.layers.activation({ activation: 'softmax' })] })
    expect(splitClassifier(softmaxAfter, 'x.json')).toMatchObject({ activation: 'softmax', head: { featureDim: 3, classes: 2 } })

    const modelJson = await save(softmaxAfter, 'damaged')
    writeFileSync(join(dir, 'damaged', 'weights.bin'), new Uint8Array(10))
    expect(() => readLayersModelArtifacts(modelJson)).toThrow(FormatError)
    expect(() => readLayersModelArtifacts(modelJson)).toThrow(/weights\.bin: holds 10 bytes, but the weights .* declared in model\.json need 32 \(truncated\?\)/)
    rmSync(join(dir, 'damaged', 'weights.bin'))
    expect(() => readLayersModelArtifacts(modelJson)).toThrow(/weights file not found: .*weights\.bin/)
    writeFileSync(modelJson, '{"modelTopology": ')
    await expect(loadLayersModelFile(modelJson)).rejects.toThrow(/model\.json: not valid JSON/)
    writeFileSync(modelJson, JSON.stringify({ format: 'graph-model', modelTopology: {}, weightsManifest: [] }))
    expect(() => readLayersModelArtifacts(modelJson)).toThrow(/is a tfjs graph model/)
    writeFileSync(modelJson, JSON.stringify({ modelTopology: {}, weightsManifest: [{ weights: [] }] }))
    expect(() => readLayersModelArtifacts(modelJson)).toThrow(FormatError)
    expect(() => readLayersModelArtifacts(modelJson)).toThrow(/model\.json: weightsManifest\[0\] must be \{ paths: string\[\], weights/)
    const missing = await cli(['import', '--model', join(dir, 'nope', 'model.json'), '--out', join(dir, 'x.sdd')])
    expect(missing).toMatchObject({ status: 2, stderr: expect.stringMatching(/^error: model file not found: .*nope\/model\.json\n$/) as unknown })
    sigmoid.dispose()
    pooled.dispose()
    softmaxAfter.dispose()
  })
})
