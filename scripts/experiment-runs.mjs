// Shared machinery of the experiment scripts (sd-dropout-experiment.mjs, self-kd-comparison.mjs):
// one run = `sd-dropout train` then `sd-dropout evaluate --json` (metrics recomputed from data
// through the SDK), every result kept as one JSON file in a scratch folder so that a script can be
// stopped and started again: a run whose evaluation exists is reused, a run whose bundle exists is
// only re-evaluated, a run interrupted during training continues from its checkpoint
// (`train --resume`, exact), and `--shard i/n` splits the runs between processes.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeFileAtomic } from '@sd-dropout/sdk'

/** The repository root and the built CLI (`npm run build` first). */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
export const cli = join(root, 'training/dist/cli.js')

/**
 * Parses `--shard i/n` (run every n-th run, starting at i).
 * @param {string} text
 * @returns {{ index: number, count: number }}
 */
export function parseShard(text) {
  const [index, count] = text.split('/').map(Number)
  if (!Number.isInteger(index) || !Number.isInteger(count) || count < 1 || index < 0 || index >= count) throw new Error(`--shard must be i/n with 0 <= i < n, got ${text}`)
  return { index, count }
}

/**
 * A file-name tag for a run: the arm name and seed, lower case, with runs of other characters as '-'.
 * @param {string} arm
 * @param {number} seed
 * @param {string} suffix e.g. `e20`
 */
export function runTag(arm, seed, suffix) {
  return `${arm.replace(/[^a-z0-9]+/gi, '-')}-seed${seed}-${suffix}`.toLowerCase()
}

/**
 * Makes sure one run has its evaluation in the scratch folder and returns the stored record, or
 * null when the run belongs to another shard and is not done yet.
 *
 * @param {object} run
 * @param {string} run.scratch folder of bundles, checkpoints and records
 * @param {string} run.tag file-name tag (see runTag)
 * @param {boolean} run.mine whether this process may train and evaluate it (its shard)
 * @param {string[]} run.trainArgs hyper-parameter flags of `train` (not given on --resume)
 * @param {string[]} [run.dataArgs] data and deployment flags of `train`, given on --resume too
 * @param {string[]} [run.evaluateArgs] extra flags of `evaluate` (data, OOD sets)
 * @param {object} [run.meta] fields stored with the record (arm, seed, ...)
 * @param {(bundle: string) => Promise<object> | object} [run.describe] more fields computed from the written bundle
 * @param {string} [run.cliPath] the CLI to run (default: the build in training/dist)
 * @returns {Promise<object | null>}
 */
export async function ensureRun({ scratch, tag, mine, trainArgs, dataArgs = [], evaluateArgs = [], meta = {}, describe, cliPath = cli }) {
  mkdirSync(scratch, { recursive: true })
  const bundle = join(scratch, `${tag}.sdd`)
  const checkpoint = `${bundle}.ckpt`
  const trained = join(scratch, `${tag}.train.json`)
  const record = join(scratch, `${tag}.json`)
  const done = readRun(scratch, tag)
  if (done !== null || !mine) return done
  if (!existsSync(bundle) || !existsSync(trained)) {
    const resuming = existsSync(checkpoint)
    const started = Date.now()
    console.error(`# ${tag}: ${resuming ? `resuming from ${checkpoint}` : 'training'}`)
    const args = resuming ? ['train', '--resume', checkpoint, '--out', bundle, '--name', 'experiment', ...dataArgs] : ['train', ...trainArgs, ...dataArgs, '--out', bundle, '--name', 'experiment']
    execFileSync(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'inherit', 'inherit'] })
    await writeText(trained, JSON.stringify({ trainSeconds: (Date.now() - started) / 1000, resumed: resuming }))
  }
  const evaluation = JSON.parse(execFileSync(process.execPath, [cliPath, 'evaluate', '--bundle', bundle, ...evaluateArgs, '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }))
  const described = describe === undefined ? {} : await describe(bundle)
  const result = { ...meta, ...JSON.parse(readFileSync(trained, 'utf8')), ...described, evaluation }
  await writeText(record, JSON.stringify(result, null, 2))
  return result
}

/**
 * Writes a text file atomically (temporary file, fsync, rename: the SDK's writeFileAtomic), so that
 * a shard process reading it meanwhile sees the old or the new contents, never a part.
 * @param {string} path
 * @param {string} text
 */
export async function writeText(path, text) {
  await writeFileAtomic(path, new TextEncoder().encode(text))
}

/**
 * The stored record of a run, or null when it has none yet.
 * @param {string} scratch
 * @param {string} tag
 * @returns {object | null}
 */
export function readRun(scratch, tag) {
  const record = join(scratch, `${tag}.json`)
  return existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) : null
}

/** Mean of numbers. @param {number[]} xs */
export const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length

/** Sample standard deviation (n - 1), 0 for fewer than 2 values. @param {number[]} xs */
export const sd = (xs) => (xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, b) => a + (b - mean(xs)) ** 2, 0) / (xs.length - 1)))

/**
 * `mean ± sd` of values times `scale`, with `digits` decimals (the value alone when there is one).
 * @param {number[]} xs
 */
export const cell = (xs, scale = 1, digits = 2) => (xs.length === 1 ? (mean(xs) * scale).toFixed(digits) : `${(mean(xs) * scale).toFixed(digits)} ± ${(sd(xs) * scale).toFixed(digits)}`)
