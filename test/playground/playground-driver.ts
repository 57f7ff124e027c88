import type { Prediction } from '@sd-dropout/sdk'
import type { Page } from 'playwright-core'

/** What the playground's result panel shows: its data attributes and visible texts. */
export interface ShownResult {
  /** `idle`, `busy`, `done` or `error`. */
  readonly state: string
  /** Results shown so far (each prediction or error counts one). */
  readonly run: number
  readonly mode: string | undefined
  readonly samples: number | undefined
  readonly label: string | undefined
  readonly probabilities: number[] | undefined
  readonly oodScore: number | undefined
  readonly verdict: string | undefined
  /** The whole prediction as the page got it (`data-prediction`). */
  readonly prediction: Prediction | undefined
  readonly error: string | undefined
  readonly summaryText: string
  readonly verdictText: string
  /** The visible probability rows, `label value` each. */
  readonly probabilityRows: string[]
}

/** The panel as the page holds it: its data attributes and texts (a JSON-able snapshot). */
interface PanelSnapshot {
  readonly data: Record<string, string | undefined>
  readonly summaryText: string
  readonly verdictText: string
  readonly probabilityRows: string[]
}

/**
 * Runs in the page: the panel's snapshot, or null while it has not shown a result after the
 * `after`-th one or is busy (`after` null: now, whatever it shows). Self-contained, for
 * `page.evaluate` and `page.waitForFunction`, so the wait and the read are one step.
 */
function panelSnapshot(after: number | null): PanelSnapshot | null {
  const root = document.getElementById('result') as HTMLElement
  if (after !== null && (Number(root.dataset.run ?? 0) <= after || root.dataset.state === 'busy')) return null
  return {
    data: { ...root.dataset },
    summaryText: document.getElementById('summary')?.textContent ?? '',
    verdictText: document.getElementById('verdict')?.textContent ?? '',
    probabilityRows: Array.from(document.querySelectorAll('#probabilities li')).map((row) => Array.from(row.querySelectorAll('.name, .value')).map((cell) => cell.textContent).join(' ')),
  }
}

function shownResult(snapshot: PanelSnapshot): ShownResult {
  const { data } = snapshot
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value))
  return {
    state: data.state ?? '',
    run: Number(data.run ?? 0),
    mode: data.mode,
    samples: number(data.samples),
    label: data.label,
    probabilities: data.probabilities === undefined ? undefined : (JSON.parse(data.probabilities) as number[]),
    oodScore: number(data.oodScore),
    verdict: data.verdict,
    prediction: data.prediction === undefined ? undefined : (JSON.parse(data.prediction) as Prediction),
    error: data.error,
    summaryText: snapshot.summaryText,
    verdictText: snapshot.verdictText,
    probabilityRows: snapshot.probabilityRows,
  }
}

/**
 * Reads the result panel (`#result`) from the DOM as it is now.
 *
 * @example
 * ```ts
 * const shown = await readResult(page)
 * ```
 */
export async function readResult(page: Page): Promise<ShownResult> {
  return shownResult((await page.evaluate(panelSnapshot, null)) as PanelSnapshot)
}

/**
 * Waits until the panel shows a result after the `after`-th one (a prediction or an error) and is
 * not busy, and reads it in the same step.
 *
 * @example
 * ```ts
 * const before = (await readResult(page)).run
 * await dropImage(page, png, 'digit.png')
 * const shown = await nextResult(page, before)
 * ```
 */
export async function nextResult(page: Page, after: number): Promise<ShownResult> {
  const handle = await page.waitForFunction(panelSnapshot, after)
  const snapshot = (await handle.jsonValue()) as PanelSnapshot
  await handle.dispose()
  return shownResult(snapshot)
}

/**
 * Drops a file on the drop zone the way a browser does (dragover, then drop, with a DataTransfer
 * holding the file).
 *
 * @example
 * ```ts
 * await dropImage(page, pngBytes, 'digit.png')
 * ```
 */
export async function dropImage(page: Page, bytes: Uint8Array, name: string, type = 'image/png'): Promise<void> {
  const transfer = await page.evaluateHandle(
    ({ data, fileName, fileType }) => {
      const dataTransfer = new DataTransfer()
      dataTransfer.items.add(new File([new Uint8Array(data)], fileName, { type: fileType }))
      return dataTransfer
    },
    { data: Array.from(bytes), fileName: name, fileType: type },
  )
  await page.dispatchEvent('#drop-zone', 'dragover', { dataTransfer: transfer })
  await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: transfer })
  await transfer.dispose()
}

/**
 * Chooses where the model runs (the radio buttons). A switch re-runs the image shown, if any:
 * this waits for that result and returns it (null when nothing was re-run).
 *
 * @example
 * ```ts
 * await chooseMode(page, 'api')
 * ```
 */
export async function chooseMode(page: Page, mode: 'page' | 'api'): Promise<ShownResult | null> {
  const before = await readResult(page)
  const checked = await page.isChecked(`input[name="mode"][value="${mode}"]`)
  await page.check(`input[name="mode"][value="${mode}"]`)
  if (checked || before.state === 'idle') return null
  return nextResult(page, before.run)
}
