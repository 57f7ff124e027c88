import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { encodeIdx, loadMnistSplit, runCli } from '@sd-dropout/training'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkHtmlStructure } from '../../training/src/report/html-structure.js'
import { openRecordedPage, type RecordedPage } from '../playground/headless-chromium.js'

// `sd-dropout evaluate --report` on the default model (300 test digits, a few shifts, one FGSM
// epsilon): the page is well formed, self-contained, renders every plot as inline SVG in a real
// browser, and requests nothing but itself. The committed report of the default model too.

const root = join(import.meta.dirname, '../..')
const bundle = join(root, 'models/mnist-sd-dropout/model.sdd')
const committed = join(root, 'models/mnist-sd-dropout/report.html')
const dir = mkdtempSync(join(tmpdir(), 'sdd-report-'))
const reportPath = join(dir, 'report.html')
let stdout = ''
let browser: RecordedPage

beforeAll(async () => {
  const test = loadMnistSplit().test
  const count = 300
  writeFileSync(join(dir, 'images.idx'), encodeIdx([count, 28, 28], Uint8Array.from(test.images.subarray(0, count * 784), (v) => Math.round(255 * v))))
  writeFileSync(join(dir, 'labels.idx'), encodeIdx([count], Uint8Array.from(test.labels.subarray(0, count))))
  const argv = ['evaluate', '--bundle', bundle, '--data', 'idx', '--test-images', join(dir, 'images.idx'), '--test-labels', join(dir, 'labels.idx'), '--ood-count', '200', '--shift', 'blur,rotation', '--severities', '1,3', '--fgsm', '0.1', '--report', reportPath, '--json', '--backend', 'wasm']
  let stderr = ''
  const status = await runCli(argv, { stdout: (text) => (stdout += text), progress: { step: () => undefined, epoch: () => undefined, message: () => undefined }, onInterrupt: () => () => undefined }, (text) => (stderr += text))
  expect(stderr).toBe('')
  expect(status).toBe(0)
  browser = await openRecordedPage()
}, 120_000)
afterAll(async () => {
  await browser.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Loads a report file in Chromium; returns its rendered SVG sizes and headings. */
async function render(path: string) {
  browser.requests.length = 0
  browser.errors.length = 0
  await browser.page.goto(pathToFileURL(path).href)
  return browser.page.evaluate(() => ({
    svgs: Array.from(document.querySelectorAll('figure > svg'), (svg) => {
      const box = svg.getBoundingClientRect()
      return { width: box.width, height: box.height, marks: svg.querySelectorAll('path, rect, line, text').length }
    }),
    sections: Array.from(document.querySelectorAll('section'), (section) => section.id),
    scripts: document.scripts.length,
  }))
}

describe('the HTML report', () => {
  it('is a well-formed, self-contained page holding the evaluated numbers', () => {
    const html = readFileSync(reportPath, 'utf8')
    expect(checkHtmlStructure(html)).toStrictEqual([])
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\"")
    const json = JSON.parse(stdout) as { test: { accuracy: number }; shifts: { shift: string; severity: number; accuracy: number }[]; fgsm: { epsilon: number; accuracy: number }[] }
    expect(json.shifts.map((row) => `${row.shift}${row.severity}`)).toStrictEqual(['blur1', 'blur3', 'rotation1', 'rotation3'])
    expect(json.fgsm.map((row) => row.epsilon)).toStrictEqual([0.1])
    expect(json.fgsm[0]?.accuracy).toBeLessThan(json.test.accuracy)
    expect(html).toContain(`${(100 * json.test.accuracy).toFixed(2)}%`)
    expect(html).toContain(`${(100 * (json.fgsm[0]?.accuracy ?? 0)).toFixed(2)}%`)
    expect(html).not.toContain('This bundle keeps no training history')
  })

  it('renders every plot as inline SVG in Chromium and requests nothing but itself', async () => {
    const page = await render(reportPath)
    expect(page.sections).toStrictEqual(['summary', 'training', 'calibration', 'ood', 'selective', 'shift', 'fgsm'])
    // training curves, 2 reliability rows, 2 histograms (mahalanobis, msp), ROC, coverage, shift, FGSM
    expect(page.svgs).toHaveLength(9)
    for (const svg of page.svgs) {
      expect(svg.width).toBeGreaterThan(150)
      expect(svg.height).toBeGreaterThan(150)
      expect(svg.marks).toBeGreaterThan(20)
    }
    expect(page.scripts).toBe(0)
    expect(browser.requests).toStrictEqual([pathToFileURL(reportPath).href])
    expect(browser.errors).toStrictEqual([])
  })

  it('the default model\'s committed report renders the same way', async () => {
    const html = readFileSync(committed, 'utf8')
    expect(checkHtmlStructure(html)).toStrictEqual([])
    const page = await render(committed)
    expect(page.svgs).toHaveLength(9)
    expect(browser.requests).toStrictEqual([pathToFileURL(committed).href])
    expect(browser.errors).toStrictEqual([])
  })
})
