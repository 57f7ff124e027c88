#!/usr/bin/env node
import { createProgressReporter } from '../loop/progress-reporter.js'
import { runCli } from './main.js'

// The `sd-dropout` executable (built into training/dist/cli.js). Ctrl-C once: the running command
// saves what it must and stops; twice: exit at once.
let interrupts = 0
const handlers = new Set<() => void>()
process.on('SIGINT', () => {
  interrupts++
  if (interrupts > 1 || handlers.size === 0) process.exit(130)
  for (const handler of handlers) handler()
})
process.exitCode = await runCli(
  process.argv.slice(2),
  {
    stdout: (text) => process.stdout.write(text),
    progress: createProgressReporter(process.stderr),
    onInterrupt: (handler) => {
      handlers.add(handler)
      return () => handlers.delete(handler)
    },
  },
  (text) => process.stderr.write(text),
)
