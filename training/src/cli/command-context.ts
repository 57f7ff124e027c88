import { createRequire } from 'node:module'
import type { ProgressReporter } from '../loop/progress-reporter.js'

/** What a command writes to and how it learns of Ctrl-C; tests pass in-memory versions. */
export interface CommandContext {
  /** Results (tables, JSON). */
  readonly stdout: (text: string) => void
  /** Progress and messages (the progress bar goes here too). */
  readonly progress: ProgressReporter
  /**
   * Registers a Ctrl-C handler and returns a function that removes it. The CLI wires it to
   * `process.on('SIGINT')`; tests call the handler themselves.
   */
  readonly onInterrupt: (handler: () => void) => () => void
}

/**
 * The version of `@sd-dropout/training` (recorded in every bundle's provenance).
 *
 * @example
 * ```ts
 * toolVersion() // '0.1.0'
 * ```
 */
export function toolVersion(): string {
  try {
    return (createRequire(import.meta.url)('@sd-dropout/training/package.json') as { version: string }).version
  } catch {
    return 'unknown'
  }
}

/**
 * A command line as one shell-safe string (for provenance).
 *
 * @example
 * ```ts
 * commandLine(['train', '--out', 'a b.sdd']) // "sd-dropout train --out 'a b.sdd'"
 * ```
 */
export function commandLine(argv: readonly string[]): string {
  return ['sd-dropout', ...argv].map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`)).join(' ')
}
