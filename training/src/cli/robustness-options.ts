import { accessSync, constants, existsSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { OptionError } from '@sd-dropout/sdk'
import { CORRUPTION_NAMES, type CorruptionName } from '../evaluate/corruptions.js'
import type { OptionSpec, OptionValues } from './option-spec.js'

/** `--report <file.html>`: the self-contained HTML report (`train`, `import` and `evaluate`). */
export const REPORT_OPTION: OptionSpec = { name: 'report', kind: 'string', placeholder: '<file.html>', description: 'also write a self-contained HTML report (plots as inline SVG; no network)' }

/** The robustness and report flags of `sd-dropout evaluate`. */
export const ROBUSTNESS_OPTIONS: readonly OptionSpec[] = [
  { name: 'fgsm', kind: 'list', placeholder: '<e1,e2,...>', description: 'FGSM accuracy at these epsilons (pixel units, in (0, 1]; e.g. 0.05,0.1,0.2): input gradients of the CE loss through the backbone and head' },
  { name: 'shift', kind: 'list', choices: CORRUPTION_NAMES, description: 'corruption shifts to evaluate (accuracy, ECE, NLL, OOD flags per severity)' },
  { name: 'severities', kind: 'list', choices: ['1', '2', '3', '4', '5'], default: ['1', '2', '3', '4', '5'], description: 'severities of --shift (1 mild to 5 severe; parameters in docs/cli.md)' },
  REPORT_OPTION,
]

/** The robustness evaluations a command line asks for. */
export interface RobustnessRequest {
  readonly epsilons: readonly number[]
  readonly shifts: readonly { readonly shift: CorruptionName; readonly severity: number }[]
}

/**
 * Reads `--fgsm`, `--shift` and `--severities`.
 *
 * @throws {OptionError} for an epsilon that is not a number in (0, 1].
 * @example
 * ```ts
 * robustnessRequest({ fgsm: ['0.1'], shift: ['blur'], severities: ['1', '5'] }) // { epsilons: [0.1], shifts: [{ shift: 'blur', severity: 1 }, { shift: 'blur', severity: 5 }] }
 * ```
 */
export function robustnessRequest(values: OptionValues): RobustnessRequest {
  const epsilons = ((values.fgsm as readonly string[] | undefined) ?? []).map((text) => {
    const epsilon = Number(text)
    if (!(epsilon > 0 && epsilon <= 1)) throw new OptionError('--fgsm', `epsilons are pixel-unit steps in (0, 1], got "${text}"`)
    return epsilon
  })
  const severities = ((values.severities as readonly string[] | undefined) ?? ['1', '2', '3', '4', '5']).map(Number)
  const shifts = ((values.shift as readonly CorruptionName[] | undefined) ?? []).flatMap((shift) => severities.map((severity) => ({ shift, severity })))
  return { epsilons, shifts }
}

/**
 * `--report`, checked before any work so a run never ends with its bundle written and its report
 * refused: the path must not be a folder, and its nearest existing parent folder must be writable
 * (missing folders are created when the report is written).
 *
 * @returns the path, or null without `--report`
 * @throws {OptionError} naming the path and the problem.
 * @example
 * ```ts
 * const report = reportPath(values) // before training; writeBundleReport(..., report) after
 * ```
 */
export function reportPath(values: OptionValues): string | null {
  const path = values.report
  if (typeof path !== 'string') return null
  if (existsSync(path) && statSync(path).isDirectory()) throw new OptionError('--report', `${path} is a folder; give the HTML file to write (e.g. ${path}/report.html)`)
  let folder = resolve(dirname(path))
  while (!existsSync(folder)) folder = dirname(folder)
  if (!statSync(folder).isDirectory()) throw new OptionError('--report', `cannot create ${path}: ${folder} is a file, not a folder`)
  try {
    accessSync(folder, constants.W_OK)
  } catch {
    throw new OptionError('--report', `cannot write ${path}: the folder ${folder} is not writable`)
  }
  return path
}
