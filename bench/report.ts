/**
 * The shape every benchmark returns. A benchmark module `bench/<name>.bench.ts` default-exports
 * `async () => BenchReport`; `bench/run.mjs` runs each in its own Node process, writes
 * `bench/results/<name>.json` and a markdown table per benchmark into `bench/results/README.md`.
 * Comparisons are made side by side in one process (ratios), because these machines are noisy.
 */
export interface BenchReport {
  /** One-line title of the table. */
  readonly title: string
  /** Table rows; every row has the same keys (the columns). */
  readonly rows: readonly Readonly<Record<string, string | number>>[]
  /** Goals from the issues, each with its measured value. */
  readonly goals: readonly BenchGoal[]
  /** Free-form remarks (machine, settings, caveats). */
  readonly notes?: readonly string[]
}

/** A measured value against a stated goal. */
export interface BenchGoal {
  readonly name: string
  readonly value: number
  /** Human-readable goal, e.g. `>= 20x` or `<= 3 ms`. */
  readonly goal: string
  readonly met: boolean
}

/**
 * Times `fn` after `warmup` calls: repeats `rounds` rounds of `iterations` calls and returns the
 * per-call microseconds of every round (take the median for reports).
 *
 * @example
 * ```ts
 * const rounds = timeRounds(() => kernel.run(input), { iterations: 100 })
 * ```
 */
export function timeRounds(fn: () => unknown, options: { warmup?: number; rounds?: number; iterations?: number } = {}): number[] {
  const { warmup = 20, rounds = 7, iterations = 50 } = options
  for (let i = 0; i < warmup; i++) fn()
  const out: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < iterations; i++) fn()
    out.push(((performance.now() - start) * 1000) / iterations)
  }
  return out
}

/** The async twin of {@link timeRounds}. */
export async function timeRoundsAsync(fn: () => Promise<unknown>, options: { warmup?: number; rounds?: number; iterations?: number } = {}): Promise<number[]> {
  const { warmup = 10, rounds = 7, iterations = 20 } = options
  for (let i = 0; i < warmup; i++) await fn()
  const out: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < iterations; i++) await fn()
    out.push(((performance.now() - start) * 1000) / iterations)
  }
  return out
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** Rounds to `digits` significant digits for tables. */
export function round(value: number, digits = 3): number {
  return Number(value.toPrecision(digits))
}

/**
 * Times several async variants side by side: after `warmup` calls of each, runs `rounds` rounds in
 * which every variant does `iterations` calls in turn, so drifts in machine load hit all of them
 * alike. Returns the median microseconds per call of each variant, by name.
 *
 * @example
 * ```ts
 * const us = await timeInterleaved({ mc: () => model.predict(x), deterministic: () => model.predict(x, { samples: 0 }) })
 * ```
 */
export async function timeInterleaved(
  variants: Readonly<Record<string, () => Promise<unknown>>>,
  options: { warmup?: number; rounds?: number; iterations?: number | Readonly<Record<string, number>> } = {},
): Promise<Record<string, number>> {
  const { warmup = 20, rounds = 9 } = options
  const iterationsOf = (name: string): number => (typeof options.iterations === 'number' ? options.iterations : (options.iterations?.[name] ?? 20))
  const samples: Record<string, number[]> = {}
  for (const [name, fn] of Object.entries(variants)) {
    samples[name] = []
    for (let i = 0; i < Math.min(warmup, iterationsOf(name) * 2); i++) await fn()
  }
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(variants)) {
      const iterations = iterationsOf(name)
      const start = performance.now()
      for (let i = 0; i < iterations; i++) await fn()
      samples[name]?.push(((performance.now() - start) * 1000) / iterations)
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]))
}
