import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readBundleFile } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { encodeIdx } from '../data/idx-file.js'
import { loadMnistSplit } from '../data/mnist-split.js'
import { silentProgress } from '../loop/progress-reporter.js'
import type { CommandContext } from './command-context.js'
import { runCli } from './main.js'

const dir = mkdtempSync(join(tmpdir(), 'sdd-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Writes the first `count` items of a split as IDX image and label files. */
function idxFiles(name: string, split: 'train' | 'test', count: number, options: { size?: number; labelShift?: number } = {}): [string, string] {
  const data = loadMnistSplit()[split]
  const size = options.size ?? 28
  const pixels = new Uint8Array(count * size * size)
  for (let i = 0; i < count; i++) for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[(i * size + y) * size + x] = Math.round(255 * (data.images[i * 784 + y * 28 + x] ?? 0))
  const labels = Uint8Array.from(data.labels.subarray(0, count), (label) => label + (options.labelShift ?? 0))
  const images = join(dir, `${name}-images.idx`)
  const labelFile = join(dir, `${name}-labels.idx`)
  writeFileSync(images, encodeIdx([count, size, size], pixels))
  writeFileSync(labelFile, encodeIdx([count], labels))
  return [images, labelFile]
}

async function run(argv: string[], interrupt = false): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const context: CommandContext = {
    stdout: (text) => (stdout += text),
    progress: silentProgress,
    onInterrupt: (handler) => {
      if (interrupt) handler()
      return () => undefined
    },
  }
  const status = await runCli(argv, context, (text) => (stderr += text))
  return { status, stdout, stderr }
}

describe('sd-dropout CLI', () => {
  const [trainImages, trainLabels] = idxFiles('train', 'train', 300)
  const [testImages, testLabels] = idxFiles('test', 'test', 200)
  const tiny = ['--data', 'idx', '--train-images', trainImages, '--train-labels', trainLabels, '--test-images', testImages, '--test-labels', testLabels]
  const model = ['--model', 'mlp', '--hidden', '32', '--epochs', '4', '--lr', '0.01', '--batch-size', '50', '--backend', 'wasm', '--ood-samples', '8']

  it('prints help for the tool and each command', async () => {
    expect((await run(['--help'])).stdout).toContain('Usage: sd-dropout <command>')
    for (const command of ['train', 'evaluate', 'predict']) {
      const { status, stdout } = await run([command, '--help'])
      expect(status).toBe(0)
      expect(stdout).toContain(`Usage: sd-dropout ${command} [options]`)
    }
    expect((await run(['fit'])).status).toBe(2)
  })

  it.each([
    ['an unknown flag', ['train', '--out', 'x.sdd', '--epoch', '2'], /error: option --epoch: unknown option for train \(did you mean --epochs\?\)/],
    ['a bad value', ['train', '--out', 'x.sdd', '--lr', 'fast'], /error: option --lr: must be a number, got "fast"/],
    ['a missing --out', ['train'], /error: option --out: is required/],
    ['a missing file', ['train', '--out', 'x.sdd', '--data', 'idx', '--train-images', '/nonexistent/images.idx', '--train-labels', 'y'], /error: file not found: \/nonexistent\/images\.idx/],
    ['an unknown method', ['train', '--out', 'x.sdd', '--method', 'kd'], /error: option --method: unknown method "kd"/],
  ])('rejects %s with a clear message and exit status 2', async (_name, argv, message) => {
    const { status, stderr } = await run(argv)
    expect(status).toBe(2)
    expect(stderr).toMatch(message)
    expect(stderr.split('\n').filter((line) => line !== '')).toHaveLength(1)
  })

  it('rejects corrupt files, labels out of range and wrong image sizes, writing nothing', async () => {
    const out = join(dir, 'bad', 'model.sdd')
    const truncated = join(dir, 'truncated.idx')
    writeFileSync(truncated, encodeIdx([10, 28, 28], new Uint8Array(10 * 784)).subarray(0, 500))
    const corrupt = await run(['train', '--out', out, '--data', 'idx', '--train-images', truncated, '--train-labels', trainLabels])
    expect(corrupt).toMatchObject({ status: 2 })
    expect(corrupt.stderr).toMatch(/error: truncated\.idx: truncated: dimensions \[10, 28, 28\] need 7840 data bytes, the file holds 484/)
    const [images, shifted] = idxFiles('shifted', 'train', 20, { labelShift: 10 })
    const range = await run(['train', '--out', out, '--data', 'idx', '--train-images', images, '--train-labels', shifted])
    expect(range.stderr).toMatch(/error: label 1[0-9] of item 0 in .*shifted-labels\.idx is out of range: labels must be in \[0, 10\)/)
    const [small, smallLabels] = idxFiles('small', 'test', 20, { size: 14 })
    const size = await run(['train', '--out', out, ...tiny.slice(0, 6), '--test-images', small, '--test-labels', smallLabels])
    expect(size.status).toBe(2)
    expect(size.stderr).toMatch(/expected 28x28x1 \(the model's input\), received 14x14x1/)
    expect(existsSync(join(dir, 'bad'))).toBe(false)
  })

  it('trains, exports one bundle, and evaluate / predict recompute from data', async () => {
    const out = join(dir, 'run', 'model.sdd')
    const trained = await run(['train', '--out', out, '--name', 'tiny', ...tiny, ...model])
    expect(trained.stderr).toBe('')
    expect(trained.status).toBe(0)
    expect(trained.stdout).toMatch(/^wrote .*model\.sdd \(\d+ bytes, sha256 [0-9a-f]{64}\)/)
    expect(readdirSync(join(dir, 'run'))).toStrictEqual(['model.sdd'])

    const evaluated = await run(['evaluate', '--bundle', out, '--data', 'idx', '--test-images', testImages, '--test-labels', testLabels, '--ood-images', trainImages, '--ood-count', '100', '--json', '--backend', 'wasm'])
    expect(evaluated.status).toBe(0)
    const report = JSON.parse(evaluated.stdout) as Record<string, unknown>
    expect(Object.keys(report)).toStrictEqual(['bundle', 'backend', 'runtime', 'data', 'calibration', 'samples', 'seed', 'test', 'testDeterministic', 'ood', 'defaultOodScore', 'targetAcceptance', 'thresholds', 'selective'])
    const test = report.test as { items: number; accuracy: number; ece: number }
    const deterministic = report.testDeterministic as { items: number; accuracy: number }
    expect(test.items).toBe(200)
    expect(deterministic.accuracy).toBeGreaterThan(0.5)
    expect(test.accuracy).toBeGreaterThan(0.4) // the served MC mean (p = 0.5, S = 8) of a 4-epoch model
    // The manifest's test metrics came from the same SDK path as evaluate's: equal, not just close.
    const { manifest } = await readBundleFile(out)
    const { ood: _manifestOod, ...manifestTest } = manifest.metrics.test ?? expect.fail('no test metrics')
    expect(manifestTest).toStrictEqual(report.test)
    expect(manifest.metrics['test-deterministic']).toStrictEqual(report.testDeterministic)
    expect(report.calibration).toStrictEqual(manifest.calibration)
    expect(report.samples).toBe(8)
    const ood = report.ood as Record<string, Record<string, { auroc: number }>>
    expect(Object.keys(ood)).toStrictEqual([trainImages, 'uniform-noise', 'pixel-permuted', 'inverted'])
    expect(Object.keys(ood['uniform-noise'] ?? {}).sort()).toStrictEqual(['energy', 'entropy', 'mahalanobis', 'max-logit', 'mc-entropy', 'msp', 'mutual-information'])
    // In-distribution training digits are no OOD set: AUROC near chance; noise is far OOD.
    expect(ood[trainImages]?.msp?.auroc).toBeLessThan(0.7)
    expect(ood['uniform-noise']?.mahalanobis?.auroc).toBeGreaterThan(0.9)

    const predicted = await run(['predict', '--bundle', out, '--images', testImages, '--limit', '3', '--json', '--backend', 'wasm'])
    const predictions = (JSON.parse(predicted.stdout) as { predictions: { label: string; probabilities: number[] }[] }).predictions
    expect(predictions).toHaveLength(3)
    for (const p of predictions) expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
  })

  it('saves a checkpoint on Ctrl-C (exit 130, no bundle) and --resume finishes the run', async () => {
    const out = join(dir, 'interrupted', 'model.sdd')
    const stopped = await run(['train', '--out', out, ...tiny, ...model], true)
    expect(stopped.status).toBe(130)
    expect(readdirSync(join(dir, 'interrupted'))).toStrictEqual(['model.sdd.ckpt'])
    const clash = await run(['train', '--out', out, ...tiny, '--resume', `${out}.ckpt`, '--lr', '0.5'])
    expect(clash.stderr).toMatch(/option --lr: cannot be set with --resume/)
    // other training data (here: 299 of the 300 digits) is refused, naming both
    const [fewerImages, fewerLabels] = idxFiles('fewer', 'train', 299)
    const otherData = await run(['train', '--out', out, '--data', 'idx', '--train-images', fewerImages, '--train-labels', fewerLabels, '--resume', `${out}.ckpt`])
    expect(otherData.status).toBe(2)
    expect(otherData.stderr).toMatch(/option --resume: the checkpoint was trained on other data \(270 items, sha256 [0-9a-f]{12}\.\.\.\); this run's training split has 269 items/)
    const resumed = await run(['train', '--out', out, ...tiny, '--resume', `${out}.ckpt`, '--backend', 'wasm', '--ood-samples', '8'])
    expect(resumed.status).toBe(0)
    expect(readdirSync(join(dir, 'interrupted'))).toStrictEqual(['model.sdd'])
  })
})
