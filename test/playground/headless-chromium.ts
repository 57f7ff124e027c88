import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium (`.ci/run` installs it; playwright-core never downloads a browser). */
export const CHROMIUM_PATH = process.env.SD_DROPOUT_CHROMIUM ?? '/usr/bin/chromium'

/** Flags for this machine: headless, no sandbox (containers), and no background traffic of the browser's own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
]

/** A page of a fresh headless Chromium, with everything it requested and complained about. */
export interface RecordedPage {
  readonly browser: Browser
  readonly page: Page
  /** Every URL the page requested (documents, scripts, fetches, wasm, ...), in order. */
  readonly requests: string[]
  /** Console errors and uncaught exceptions (CSP violations appear here). */
  readonly errors: string[]
  /** A second page, in a context with a touch screen, recorded into the same lists. */
  openTouchPage(): Promise<Page>
  close(): Promise<void>
}

/**
 * Launches Debian's Chromium headless (playwright gives each launch a fresh temporary user data
 * dir, removed on close) and opens one page, recording its requests and errors.
 *
 * @example
 * ```ts
 * const { page, requests, close } = await openRecordedPage()
 * await page.goto(worker.url)
 * ```
 */
export async function openRecordedPage(): Promise<RecordedPage> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  const requests: string[] = []
  const errors: string[] = []
  const open = async (hasTouch: boolean) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, hasTouch })
    const page = await context.newPage()
    page.on('request', (request) => requests.push(request.url()))
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text())
    })
    page.on('pageerror', (error) => errors.push(error.message))
    return page
  }
  return { browser, page: await open(false), requests, errors, openTouchPage: () => open(true), close: () => browser.close() }
}

/**
 * The requests that went anywhere but 127.0.0.1 (data: and blob: URLs stay in the page).
 *
 * @example
 * ```ts
 * expect(offHostRequests(requests)).toStrictEqual([])
 * ```
 */
export function offHostRequests(urls: readonly string[]): string[] {
  return urls.filter((url) => {
    const parsed = new URL(url)
    if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false
    return parsed.hostname !== '127.0.0.1'
  })
}
