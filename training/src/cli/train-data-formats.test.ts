import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadModel, readBundleFile } from '@sd-dropout/sdk'
import { encode as encodePng } from 'fast-png'
import { afterAll, describe, expect, it } from 'vitest'
import { checkHtmlStructure } from '../report/html-structure.js'
import { silentProgress } from '../loop/progress-reporter.js'
import type { CommandContext } from './command-context.js'
import { runCli } from './main.js'

// `sd-dropout train` on the user's own data: the bundle carries the data's class names, input spec
// (vector for CSV; the training split's per-channel mean / std for CIFAR) and augmentation, the SDK
// serves it from raw inputs, and `--report` writes the page beside it.

const dir = mkdtempSync(join(tmpdir(), 'sdd-train-formats-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function run(argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const context: CommandContext = { stdout: (text) => (stdout += text), progress: silentProgress, onInterrupt: () => () => undefined }
  const status = await runCli(argv, context, (text) => (stderr += text))
  return { status, stdout, stderr }
}

const train = (argv: string[]) => run(['train', '--backend', 'wasm', '--ood-samples', '8', ...argv])

/** A deterministic value in [0, 1) per index (no RNG state): the fractional part of i * golden ratio. */
const jitter = (i: number): number => (i * 0.6180339887) % 1

describe('sd-dropout train on CSV and CIFAR data', () => {
  it('CSV: named classes, a vector input, no augmentation, served from number[][], with a report', async () => {
    // three classes at the corners of a square in 2 of 4 features, the other two noise
    const centres: Record<string, [number, number]> = { setosa: [0, 0], versicolor: [4, 0], virginica: [0, 4] }
    const names = Object.keys(centres)
    const rows = (count: number, offset: number): string =>
      Array.from({ length: count }, (_, i) => {
        const name = names[i % 3] as string
        const [a, b] = centres[name] as [number, number]
        const k = i + offset
        return `${(a + jitter(k) - 0.5).toFixed(3)},${(b + jitter(k + 7) - 0.5).toFixed(3)},${jitter(k + 13).toFixed(3)},${jitter(k + 29).toFixed(3)},${name}`
      }).join('\n')
    writeFileSync(join(dir, 'train.csv'), `f1,f2,f3,f4,species\n${rows(150, 0)}\n`)
    writeFileSync(join(dir, 'test.csv'), `f1,f2,f3,f4,species\n${rows(60, 1000)}\n`)
    const convolutional = await train(['--out', join(dir, 'cnn.sdd'), '--data', 'csv', '--train-data', join(dir, 'train.csv'), '--model', 'cnn'])
    expect(convolutional.status).toBe(2)
    expect(convolutional.stderr).toContain('cnn input: expected [height, width, channels] images (feature vectors take --model mlp), received [4]')
    // a --report path that cannot be written is refused before training: no bundle, no checkpoint
    const refused = await train(['--out', join(dir, 'refused', 'model.sdd'), '--data', 'csv', '--train-data', join(dir, 'train.csv'), '--model', 'mlp', '--report', dir])
    expect(refused.status).toBe(2)
    expect(refused.stderr).toContain(`option --report: ${dir} is a folder; give the HTML file to write`)
    expect(existsSync(join(dir, 'refused'))).toBe(false)
    const out = join(dir, 'csv', 'model.sdd')
    const report = join(dir, 'csv', 'report.html')
    const trained = await train(['--out', out, '--name', 'iris-like', '--data', 'csv', '--train-data', join(dir, 'train.csv'), '--test-data', join(dir, 'test.csv'), '--model', 'mlp', '--hidden', '16', '--epochs', '8', '--batch-size', '15', '--lr', '0.02', '--sd-rate', '0.2', '--report', report])
    expect(trained.stderr).toBe('')
    expect(trained.status).toBe(0)
    const { manifest } = await readBundleFile(out)
    expect(manifest.labels).toStrictEqual(names)
    expect(manifest.input).toStrictEqual({ shape: [4], kind: 'vector', image: null })
    expect((manifest.provenance.hyperParameters as { augment: string }).augment).toBe('none')
    expect(manifest.metrics.test?.items).toBe(60)
    expect(manifest.metrics.test?.accuracy).toBeGreaterThanOrEqual(0.95)
    expect(Object.keys(manifest.metrics.test?.ood ?? {})).toStrictEqual([]) // no image OOD sets for feature vectors, as evaluate
    const fgsm = await run(['evaluate', '--bundle', out, '--data', 'csv', '--test-data', join(dir, 'test.csv'), '--fgsm', '0.1'])
    expect(fgsm.status).toBe(2)
    expect(fgsm.stderr).toContain('option --fgsm: steps epsilon in pixel units')
    const model = await loadModel(out)
    try {
      const [a, b, c] = await model.predict([[4, 0, 0.5, 0.5], [0, 4, 0.5, 0.5], [0, 0, 0.5, 0.5]])
      expect([a?.label, b?.label, c?.label]).toStrictEqual(['versicolor', 'virginica', 'setosa'])
    } finally {
      model.dispose()
    }
    const html = readFileSync(report, 'utf8')
    expect(checkHtmlStructure(html)).toStrictEqual([])
    expect(html).toContain('evaluated on test.csv')
    expect(html).toContain('No OOD sets were evaluated.')
    expect(html).toContain('<figure id="figure-history"')
  }, 60_000)

  it('CIFAR-10: per-channel mean / std of the training split in the bundle, crop-flip, and the SDK normalises PNGs the same way', async () => {
    // class k: red 20 + 23 k, blue 230 - 23 k, green 60 + texture; 32 x 32 records
    const batch = (count: number, offset: number, classes = 10): Uint8Array => {
      const bytes = new Uint8Array(count * 3073)
      for (let i = 0; i < count; i++) {
        const label = i % classes
        const at = i * 3073
        bytes[at] = label
        for (let p = 0; p < 1024; p++) {
          const noise = Math.floor(40 * jitter(p + 31 * (i + offset)))
          bytes[at + 1 + p] = 20 + 23 * label
          bytes[at + 1025 + p] = 60 + noise
          bytes[at + 2049 + p] = 230 - 23 * label
        }
      }
      return bytes
    }
    const cifar = (name: string, bytes: Uint8Array): string => {
      writeFileSync(join(dir, name), bytes)
      return join(dir, name)
    }
    const trainFile = cifar('data_batch_1.bin', batch(200, 0))
    const testFile = cifar('test_batch.bin', batch(50, 500))
    const out = join(dir, 'cifar', 'model.sdd')
    const flags = ['--name', 'colours', '--data', 'cifar10', '--model', 'cnn', '--width', '4', '--batch-size', '20', '--sd-rate', '0.2']
    // two of ten classes only: refused before any training, naming what is missing
    const partial = await train(['--out', join(dir, 'partial.sdd'), ...flags, '--train-data', cifar('two.bin', batch(40, 0, 2)), '--epochs', '1'])
    expect(partial.status).toBe(2)
    expect(partial.stderr).toMatch(/8 of 10 classes have no training items \("bird", "cat", "deer", "dog", "frog", \.\.\.\)/)
    const trained = await train(['--out', out, ...flags, '--train-data', trainFile, '--test-data', testFile, '--epochs', '15', '--lr', '0.02'])
    expect(trained.stderr).toBe('')
    expect(trained.status).toBe(0)
    const { manifest } = await readBundleFile(out)
    expect(manifest.labels).toStrictEqual(['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'])
    expect((manifest.provenance.hyperParameters as { augment: string }).augment).toBe('crop-flip')
    const image = manifest.input.image ?? expect.fail('no image spec')
    expect(manifest.input.shape).toStrictEqual([32, 32, 3])
    // the means of the training split: R and B average 20 + 23 x 4.5 and 230 - 23 x 4.5 over
    // the balanced classes (the validation tenth moves them a little), G is 60 + mean texture
    expect(image.mean[0]).toBeCloseTo(123.5 / 255, 1)
    expect(image.mean[1]).toBeGreaterThan(70 / 255)
    expect(image.mean[1]).toBeLessThan(85 / 255)
    expect(image.mean[2]).toBeCloseTo(126.5 / 255, 1)
    expect(image.std[0]).toBeCloseTo((23 * Math.sqrt(8.25)) / 255, 1) // sd of 23 k over k = 0..9
    expect(manifest.metrics.test?.accuracy).toBeGreaterThanOrEqual(0.8)
    // the manifest's test metrics (OOD sets included) are what evaluate recomputes from the files
    const evaluated = await run(['evaluate', '--bundle', out, '--data', 'cifar10', '--test-data', testFile, '--json', '--backend', 'wasm'])
    expect(evaluated.stderr).toBe('')
    const recomputed = JSON.parse(evaluated.stdout) as { test: { ood?: unknown }; ood: Record<string, Record<string, { auroc: number }>> }
    const { ood: manifestOod, ...manifestTest } = manifest.metrics.test ?? expect.fail('no test metrics')
    expect(manifestTest).toStrictEqual(recomputed.test)
    expect(Object.keys(manifestOod ?? {})).toStrictEqual(['uniform-noise', 'pixel-permuted', 'inverted'])
    for (const [set, scores] of Object.entries(manifestOod ?? {})) {
      for (const [score, metrics] of Object.entries(scores)) expect([set, score, metrics.auroc]).toStrictEqual([set, score, recomputed.ood[set]?.[score]?.auroc])
    }
    const png = (r: number, b: number): Uint8Array => {
      const data = new Uint8Array(32 * 32 * 3)
      for (let p = 0; p < 1024; p++) data.set([r, 80, b], 3 * p)
      return encodePng({ width: 32, height: 32, data, channels: 3, depth: 8 })
    }
    const model = await loadModel(out)
    try {
      const [first, last] = await model.predict([png(20, 230), png(227, 23)])
      expect([first?.label, last?.label]).toStrictEqual(['airplane', 'truck'])
    } finally {
      model.dispose()
    }
  }, 60_000)
})
