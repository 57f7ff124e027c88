import { SdDropoutError } from '@sd-dropout/sdk'
import type { CommandContext } from './command-context.js'
import { toolVersion } from './command-context.js'
import { evaluateCommand } from './evaluate-command.js'
import { importCommand } from './import-command.js'
import { predictCommand } from './predict-command.js'
import { trainCommand } from './train-command.js'

const COMMANDS = {
  train: trainCommand,
  evaluate: evaluateCommand,
  import: importCommand,
  predict: predictCommand,
} as const satisfies Record<string, (argv: readonly string[], context: CommandContext) => Promise<number>>

const USAGE = `Usage: sd-dropout <command> [options]

Commands:
  train     train a classifier (SD-Dropout, CE, PS-KD, FRSKD, LSSKD, +sd-dropout) on MNIST, IDX, CIFAR, image folders or CSV; export one calibrated, OOD-ready bundle; --report <file.html>
  evaluate  recompute every metric of a bundle from data (test set, OOD sets, shifts, FGSM); --json, --report <file.html>
  import    turn a tfjs LayersModel trained elsewhere into a calibrated, OOD-ready bundle
  predict   classify IDX images with a bundle: label, calibrated probability, uncertainty, OOD verdict

Run "sd-dropout <command> --help" for the options of a command. Docs: docs/cli.md`

/** Exit status for bad input (unknown flag, bad value, missing or corrupt file, wrong shape). */
export const USAGE_ERROR_EXIT = 2

/**
 * The `sd-dropout` command line: dispatches to a command and turns errors into one clear line on
 * stderr and a non-zero exit status (2 for the typed input errors, 1 for anything unexpected).
 *
 * @returns the process exit status
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), context)
 * ```
 */
export async function runCli(argv: readonly string[], context: CommandContext, stderr: (text: string) => void): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    context.stdout(`${USAGE}\n`)
    return command === undefined ? USAGE_ERROR_EXIT : 0
  }
  if (command === '--version') {
    context.stdout(`${toolVersion()}\n`)
    return 0
  }
  if (!(command in COMMANDS)) {
    stderr(`error: unknown command "${command}"\n\n${USAGE}\n`)
    return USAGE_ERROR_EXIT
  }
  try {
    return await COMMANDS[command as keyof typeof COMMANDS](rest, context)
  } catch (error) {
    if (error instanceof SdDropoutError) {
      stderr(`error: ${error.message}\n`)
      return USAGE_ERROR_EXIT
    }
    stderr(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    return 1
  }
}
