import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { FormatError, InputError, writeFileAtomic } from '@sd-dropout/sdk'
import { checkHtmlStructure } from './html-structure.js'
import { renderReportHtml } from './report-html.js'
import type { ReportModel } from './report-model.js'

/**
 * Renders a report (`renderReportHtml`), checks the page's structure (`checkHtmlStructure`: a
 * malformed or non-self-contained page is a bug, never written) and writes it atomically with the
 * SDK's `writeFileAtomic` (temporary file beside the target, fsync, rename, directory fsync), as
 * bundles and checkpoints are written.
 *
 * @returns the path and size in bytes
 * @throws {FormatError} when the rendered page fails the structure check; {InputError} when the file cannot be written.
 * @example
 * ```ts
 * await writeReport('models/mnist-sd-dropout/report.html', buildReportModel(model, sources))
 * ```
 */
export async function writeReport(path: string, report: ReportModel): Promise<{ path: string; bytes: number }> {
  const html = await renderReportHtml(report)
  const problems = checkHtmlStructure(html)
  if (problems.length > 0) throw new FormatError(path, `the rendered report is not a well-formed self-contained page: ${problems.slice(0, 3).join('; ')}`)
  try {
    mkdirSync(dirname(path), { recursive: true })
    await writeFileAtomic(path, new TextEncoder().encode(html))
  } catch (error) {
    throw new InputError(`cannot write the report ${path}: ${(error as Error).message}`, { path }, { cause: error })
  }
  return { path, bytes: Buffer.byteLength(html) }
}
