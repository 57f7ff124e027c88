/** One step's progress, for the live bar. */
export interface StepProgress {
  readonly epoch: number
  readonly epochs: number
  /** Steps done in this epoch, and the epoch's step count. */
  readonly stepInEpoch: number
  readonly stepsPerEpoch: number
  /** Running means over the epoch so far. */
  readonly loss: number
  readonly accuracy: number
  readonly samplesPerSecond: number
}

/** Receives training progress; the CLI writes it to stderr, tests pass {@link silentProgress}. */
export interface ProgressReporter {
  step(progress: StepProgress): void
  /** A finished epoch's summary line. */
  epoch(line: string): void
  /** Any other line (backend, checkpoint saved, ...). */
  message(line: string): void
}

/** Reports nothing. */
export const silentProgress: ProgressReporter = { step: () => undefined, epoch: () => undefined, message: () => undefined }

/**
 * A progress bar on a stream (stderr by default): on a TTY one line redrawn in place
 * (`epoch 3/15 [#######-----] 40% loss 0.2 acc 93.1% 820 samples/s`); otherwise plain lines at
 * every quarter of an epoch, so logs stay readable.
 *
 * @example
 * ```ts
 * const progress = createProgressReporter(process.stderr)
 * ```
 */
export function createProgressReporter(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const tty = stream.isTTY === true
  let lastQuarter = -1
  let drawn = false
  const clear = (): void => {
    if (tty && drawn) stream.write('\r\x1b[2K')
    drawn = false
  }
  return {
    step(p) {
      const fraction = p.stepInEpoch / p.stepsPerEpoch
      const text = `epoch ${p.epoch + 1}/${p.epochs} ${bar(fraction)} ${Math.round(fraction * 100)}% loss ${p.loss.toFixed(4)} acc ${(100 * p.accuracy).toFixed(1)}% ${Math.round(p.samplesPerSecond)} samples/s`
      if (tty) {
        stream.write(`\r\x1b[2K${text}`)
        drawn = true
        return
      }
      const quarter = Math.floor(fraction * 4)
      if (quarter !== lastQuarter && quarter < 4) {
        lastQuarter = quarter
        if (quarter > 0) stream.write(`${text}\n`)
      }
    },
    epoch(line) {
      clear()
      lastQuarter = -1
      stream.write(`${line}\n`)
    },
    message(line) {
      clear()
      stream.write(`${line}\n`)
    },
  }
}

function bar(fraction: number, width = 20): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)))
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`
}
