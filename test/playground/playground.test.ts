import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { loadModel, type Prediction, type SdModel } from '@sd-dropout/sdk'
import { loadMnistSplit } from '@sd-dropout/training'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectClose, grayPng } from '../workers/fixtures.js'
import { REPO_ROOT, startLocalWorker, type LocalWorker } from '../workers/local-worker.js'
import { offHostRequests, openRecordedPage, type RecordedPage } from './headless-chromium.js'
import { formatProbability } from '../../workers/playground/format.js'
import { contrastRatio, pageTexts } from './contrast.js'
import { chooseMode, dropImage, nextResult, readResult, type ShownResult } from './playground-driver.js'

// The playground end to end: the BUILT worker (wrangler.toml, its [assets] page) in real workerd,
// driven in Debian's headless Chromium. What the page shows, in both modes (the SDK in the page,
// the HTTP API), must be what the SDK in Node gives for the same image file.

const ARTIFACTS = join(REPO_ROOT, 'test-artifacts/playground')
const bundle = new Uint8Array(readFileSync(join(REPO_ROOT, 'models/mnist-sd-dropout/model.sdd')))
const MODES = ['page', 'api'] as const

let worker: LocalWorker
let browser: RecordedPage
let model: SdModel
let digit: { png: Uint8Array; label: string; expected: Prediction }
let noise: { png: Uint8Array; expected: Prediction }
let pageHeaders: Record<string, string> = {}

/** Fails early, and says why, when the page's built assets (`npm run build`) are missing or older than their sources. */
function assertPlaygroundBuilt(): void {
  const built = join(REPO_ROOT, 'workers/dist/playground/playground/playground.js')
  const sources = join(REPO_ROOT, 'workers/playground')
  const newest = Math.max(...readdirSync(sources).map((file) => statSync(join(sources, file)).mtimeMs))
  if (!existsSync(built) || statSync(built).mtimeMs < newest) throw new Error('the playground assets in workers/dist/playground are missing or older than workers/playground: run npm run build -w workers')
}

/** A uniform-noise 28 x 28 gray PNG (seeded LCG): nothing like a digit. */
function noisePng(seed: number): Uint8Array {
  let state = seed >>> 0
  const values = Float32Array.from({ length: 784 }, () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32)
  return grayPng(values, 28, 28)
}

/** The first held-out MNIST test digit (as a PNG) that the model labels correctly and accepts: a fair picture for the screenshot. */
async function heldOutDigit(): Promise<{ png: Uint8Array; label: string; expected: Prediction }> {
  const { test } = loadMnistSplit()
  const pngs = Array.from({ length: 20 }, (_, i) => grayPng(test.images.subarray(i * 784, (i + 1) * 784), 28, 28))
  const predictions = await model.predict(pngs, { samples: model.info.ood.samples })
  const index = predictions.findIndex((p, i) => p.label === String(test.labels[i]) && !p.ood.isOutOfDistribution)
  expect(index).toBeGreaterThanOrEqual(0)
  return { png: pngs[index] as Uint8Array, label: String(test.labels[index]), expected: predictions[index] as Prediction }
}

/** Checks a shown result against the SDK in Node: every number within 1e-5 + 1e-5 |v|, the rest exactly, and the visible texts. */
function expectShown(shown: ShownResult, expected: Prediction, mode: string, samples = model.info.ood.samples): void {
  expect([shown.state, shown.mode, shown.samples, shown.label]).toStrictEqual(['done', mode, samples, expected.label])
  expectClose(shown.prediction, expected)
  expectClose(shown.probabilities, expected.probabilities)
  expectClose(shown.oodScore, expected.ood.score)
  expect(shown.summaryText).toContain(`Label ${expected.label}, confidence ${formatProbability(expected.confidence)}`)
  expect(shown.probabilityRows).toStrictEqual(expected.probabilities.map((p, i) => `${model.info.labels[i]} ${formatProbability(p)}`))
  const verdict = expected.ood.isOutOfDistribution ? 'out-of-distribution' : 'in-distribution'
  expect([shown.verdict, shown.verdictText]).toStrictEqual([verdict, verdict === 'in-distribution' ? 'Looks like a digit' : 'Not something this model knows'])
}

beforeAll(async () => {
  assertPlaygroundBuilt()
  mkdirSync(ARTIFACTS, { recursive: true })
  ;[worker, browser, model] = await Promise.all([startLocalWorker({ name: 'playground', bundle }), openRecordedPage(), loadModel(bundle)])
  digit = await heldOutDigit()
  const png = noisePng(12345)
  noise = { png, expected: (await model.predict(png, { samples: model.info.ood.samples }))[0] as Prediction }
  const response = await browser.page.goto(`${worker.url}/`)
  pageHeaders = response?.headers() ?? {}
  await browser.page.waitForSelector('body[data-ready="true"]')
})

afterAll(async () => {
  await browser?.close()
  await worker?.dispose()
  model?.dispose()
})

describe('the playground page', () => {
  it('shows what the SDK in Node gives for a dropped held-out MNIST digit, in both modes', async () => {
    const { page } = browser
    for (const mode of MODES) {
      await chooseMode(page, mode)
      const before = (await readResult(page)).run
      await dropImage(page, digit.png, `mnist-test-${digit.label}.png`)
      expectShown(await nextResult(page, before), digit.expected, mode)
      if (mode === 'page') await page.screenshot({ path: join(ARTIFACTS, 'playground.png'), fullPage: true })
    }
    expect(digit.expected.label).toBe(digit.label)
  })

  it('keeps every visible text at WCAG AA contrast or better, with both verdicts', async () => {
    const { page } = browser
    const lowContrast = async (verdictText: string) => {
      const texts = await pageTexts(page)
      expect(texts.length).toBeGreaterThan(30)
      expect(texts.map((text) => text.text)).toContain(verdictText)
      return texts.filter((text) => contrastRatio(text.color, text.background) < text.required).map((text) => `${text.text}: ${contrastRatio(text.color, text.background).toFixed(2)}`)
    }
    let before = (await readResult(page)).run
    await dropImage(page, digit.png, 'digit.png')
    expect((await nextResult(page, before)).verdict).toBe('in-distribution')
    expect(await lowContrast('Looks like a digit')).toStrictEqual([])
    before = (await readResult(page)).run
    await dropImage(page, noise.png, 'noise.png')
    expect((await nextResult(page, before)).verdict).toBe('out-of-distribution')
    expect(await lowContrast('Not something this model knows')).toStrictEqual([])
  })

  it('says a noise image is not something the model knows, in both modes (dropped, then chosen with the file input)', async () => {
    const { page } = browser
    await chooseMode(page, 'page')
    let before = (await readResult(page)).run
    await dropImage(page, noise.png, 'noise.png')
    expectShown(await nextResult(page, before), noise.expected, 'page')
    expect(noise.expected.ood.isOutOfDistribution).toBe(true)
    await page.screenshot({ path: join(ARTIFACTS, 'playground-noise.png'), fullPage: true })
    expectShown((await chooseMode(page, 'api')) as ShownResult, noise.expected, 'api') // a mode switch re-runs the current image
    before = (await readResult(page)).run
    await page.setInputFiles('#file', { name: 'noise.png', mimeType: 'image/png', buffer: Buffer.from(noise.png) })
    expectShown(await nextResult(page, before), noise.expected, 'api')
  })

  it('predicts a drawing (after Clear) like the SDK in Node on the canvas PNG, in both modes, and clears it from the keyboard', async () => {
    const { page } = browser
    const box = await page.locator('#pad').boundingBox()
    if (box === null) throw new Error('the drawing area is not visible')
    await page.click('#clear')
    await page.waitForSelector('#result[data-state="idle"]')
    await chooseMode(page, 'api')
    const before = (await readResult(page)).run
    // a "7": the bar, then the stem
    await page.mouse.move(box.x + 80, box.y + 70)
    await page.mouse.down()
    for (const [x, y] of [[200, 70], [150, 160], [120, 230]] as const) await page.mouse.move(box.x + x, box.y + y, { steps: 8 })
    await page.mouse.up()
    const api = await nextResult(page, before)
    const drawn = await page.evaluate(() => (document.getElementById('pad') as HTMLCanvasElement).toDataURL('image/png'))
    const expected = (await model.predict(new Uint8Array(Buffer.from(drawn.split(',')[1] ?? '', 'base64')), { samples: model.info.ood.samples }))[0] as Prediction
    expectShown(api, expected, 'api')
    expectShown((await chooseMode(page, 'page')) as ShownResult, expected, 'page')
    await page.screenshot({ path: join(ARTIFACTS, 'playground-drawing.png'), fullPage: true })
    await page.focus('#pad')
    await page.keyboard.press('Delete')
    await page.waitForSelector('#result[data-state="idle"]')
    expect((await readResult(page)).summaryText).toBe('Draw something to start.')
  })

  it('draws with a finger on a touch screen (touch pointer events) and predicts it like the SDK in Node', async () => {
    const page = await browser.openTouchPage()
    try {
      await page.goto(`${worker.url}/`)
      await page.waitForSelector('body[data-ready="true"]')
      await chooseMode(page, 'api')
      const box = await page.locator('#pad').boundingBox()
      if (box === null) throw new Error('the drawing area is not visible')
      const before = (await readResult(page)).run
      await page.evaluate(() => {
        const types: string[] = []
        document.getElementById('pad')?.addEventListener('pointerdown', (event) => types.push(event.pointerType))
        Object.assign(window, { pointerTypes: types })
      })
      // a "1": one vertical stroke, as Chromium's touch input (CDP), which the page sees as pointer events of type touch
      const touch = await page.context().newCDPSession(page)
      const at = (y: number) => [{ x: box.x + 140, y: box.y + y }]
      await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(50) })
      for (let y = 60; y <= 230; y += 10) await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(y) })
      await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
      const shown = await nextResult(page, before)
      const { drawn, inked, pointerTypes } = await page.evaluate(() => {
        const canvas = document.getElementById('pad') as HTMLCanvasElement
        const pixels = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data
        let count = 0
        for (let i = 0; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 128) count++
        return { drawn: canvas.toDataURL('image/png'), inked: count, pointerTypes: (window as unknown as { pointerTypes: string[] }).pointerTypes }
      })
      expect(pointerTypes).toStrictEqual(['touch'])
      expect(inked).toBeGreaterThan(2500) // a 170 px stroke, 20 px wide
      const expected = (await model.predict(new Uint8Array(Buffer.from(drawn.split(',')[1] ?? '', 'base64')), { samples: model.info.ood.samples }))[0] as Prediction
      expectShown(shown, expected, 'api')
      expect(expected.label).toBe('1')
    } finally {
      await page.close()
    }
  })

  it('can be used from the keyboard: tab order, and the samples control (checked against the SDK at S = 8)', async () => {
    const { page } = browser
    await page.click('h1') // moves the sequential focus starting point to the top of the page
    const order: string[] = []
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab')
      order.push(await page.evaluate(() => {
        const element = document.activeElement as HTMLElement | null
        return element === null ? '' : element.id || `${element.tagName.toLowerCase()}:${element.getAttribute('value') ?? element.getAttribute('href') ?? ''}`
      }))
    }
    expect(order).toStrictEqual(['pad', 'clear', 'file', 'input:page', 'samples', 'a:openapi.json'])
    await page.focus('#samples')
    await page.keyboard.press('End')
    expect(await page.inputValue('#samples')).toBe('128')
    await page.keyboard.press('Home')
    expect(await page.inputValue('#samples')).toBe('0')
    for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowRight')
    expect(await page.inputValue('#samples')).toBe('8')
    const expected = (await model.predict(digit.png, { samples: 8 }))[0] as Prediction
    await chooseMode(page, 'page')
    const before = (await readResult(page)).run
    await page.setInputFiles('#file', { name: 'digit.png', mimeType: 'image/png', buffer: Buffer.from(digit.png) })
    expectShown(await nextResult(page, before), expected, 'page', 8)
    expectShown((await chooseMode(page, 'api')) as ShownResult, expected, 'api', 8) // a mode switch re-runs the current image
  })

  it('asked nothing of any host but the local worker (under a same-origin CSP), loaded the model and wasm from it, and logged no error', () => {
    expect(pageHeaders['content-type']).toBe('text/html; charset=utf-8')
    expect(pageHeaders['content-security-policy']).toContain("default-src 'none'; script-src 'self' 'wasm-unsafe-eval'")
    const paths = browser.requests.map((url) => new URL(url).pathname)
    expect(offHostRequests(browser.requests)).toStrictEqual([])
    expect(paths).toContain(`/v1/models/${model.info.name}/bundle`)
    expect(paths).toContain('/playground/tfjs-backend-wasm-simd.wasm')
    expect(paths).toContain('/playground/head-kernel.wasm')
    expect(browser.errors).toStrictEqual([])
  })
})
