/**
 * Edge training experiment (issue 8): adapting a model's head where it runs, with the SDK's
 * `model.fineTune`, and checking the result where it is served.
 *
 * A. Domain shift: the default model meets inverted MNIST test digits. For 3 seeds, a seeded draw
 *    of 500 labelled inverted digits adapts the head (SD-Dropout vs plain CE head fine-tuning, same
 *    budget), T_cal / thresholds are refitted on a held-out part of those 500, and the other 1,500
 *    inverted digits measure accuracy and ECE of what `predict` serves (MC mean at S) and of the
 *    deterministic prediction, against the unadapted model.
 * B. New classes: `sd-dropout train` (the CLI) learns digits 0-4 only; the SDK extends it with at
 *    most 100 examples of each of 5-9 in Node, the bundle is saved, served by the worker in real
 *    workerd, and the worker's answers on the test digits of each group are compared with Node's.
 *
 * Run: `npm run build && node scripts/run-ts.mjs scripts/edge-training-experiment.ts`
 * Writes docs/results/edge-training.md and .json.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { dropoutHash, evaluateClassification, expectedCalibrationError, loadModel, matrix, topLabelPredictions, type FineTuneOptions, type Matrix, type SdModel } from '@sd-dropout/sdk'
import { encodeIdx, loadMnistSplit, seededPermutation, subset, type Dataset } from '@sd-dropout/training'
import { startLocalWorker } from '../test/workers/local-worker.js'

const DEFAULT_MODEL = 'models/mnist-sd-dropout/model.sdd'
const SEEDS = [0, 1, 2]
const ADAPT = 500
/** The fine-tuning budget of both arms; only lambda differs. */
const BUDGET: FineTuneOptions = { ...(JSON.parse(argument('--budget') ?? '{}') as FineTuneOptions) }
/** `--only shift` runs part A alone and prints it (for exploring budgets); results are written only by a full run. */
const ONLY = argument('--only')
const ARMS: readonly { name: string; options: FineTuneOptions }[] = (JSON.parse(argument('--lambdas') ?? '[1, 0]') as number[]).map((lambda) => ({
  name: lambda === 0 ? 'plain CE (lambda 0)' : `SD-Dropout (lambda ${lambda}, tau 1)`,
  options: { ...BUDGET, lambda, temperature: 1 },
}))

function argument(flag: string): string | undefined {
  const at = process.argv.indexOf(flag)
  return at >= 0 ? process.argv[at + 1] : undefined
}

interface Measured {
  readonly accuracy: number
  readonly ece: number
  /**
   * The expected ECE of a perfectly calibrated model with these confidences on this many items: the
   * mean ECE over 200 draws in which each item is correct with probability equal to its confidence
   * (uniforms from the SDK's counter hash): the sampling noise of the ECE estimate on a small test set.
   */
  readonly ecePerfect: number
  /** The share of those 200 draws whose ECE is above the 3% goal. */
  readonly ecePerfectOverGoal: number
}

/** ECE of a perfectly calibrated model with the given probabilities, over draws (see Measured.ecePerfect). */
function perfectlyCalibratedEce(probabilities: Matrix, labels: ArrayLike<number>, draws = 200): { mean: number; overGoal: number } {
  const { predicted, confidence } = topLabelPredictions(probabilities, labels)
  const drawn = new Int32Array(probabilities.rows)
  let sum = 0
  let over = 0
  for (let d = 0; d < draws; d++) {
    // correct with probability = confidence; a wrong label is any other class ((top + 1) mod C)
    for (let i = 0; i < drawn.length; i++) {
      const top = predicted[i] as number
      drawn[i] = dropoutHash(0xf100, d, i) / 2 ** 32 < (confidence[i] as number) ? top : (top + 1) % probabilities.cols
    }
    const ece = expectedCalibrationError(probabilities, drawn)
    sum += ece
    if (ece > 0.03) over++
  }
  return { mean: sum / draws, overGoal: over / draws }
}

const { train, validation, test } = loadMnistSplit()
const labelsOf = (d: Dataset): string[] => Array.from(d.labels, String)

/** Served (MC at the bundle's S) and deterministic accuracy / ECE of a model on a data set. */
async function measure(model: SdModel, data: Dataset): Promise<{ served: Measured; deterministic: Measured; mutualInformation: number }> {
  const { features, batch } = await model.features(data.images)
  const at = (samples: number): { probabilities: Float32Array; mutualInformation: Float32Array } => model.head(features, batch, { samples })
  const metrics = (probabilities: Float32Array): Measured => {
    const p = matrix(Float64Array.from(probabilities), batch, model.info.labels.length)
    const m = evaluateClassification(p, data.labels)
    const perfect = perfectlyCalibratedEce(p, data.labels)
    return { accuracy: m.accuracy, ece: m.ece, ecePerfect: perfect.mean, ecePerfectOverGoal: perfect.overGoal }
  }
  const served = at(model.info.ood.samples)
  return {
    served: metrics(served.probabilities),
    deterministic: metrics(at(0).probabilities),
    mutualInformation: served.mutualInformation.reduce((a, b) => a + b, 0) / batch,
  }
}

const stats = (values: readonly number[]): string => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1))
  return `${(mean * 100).toFixed(1)} ± ${(sd * 100).toFixed(1)}`
}

// ---------- A. domain shift ----------
const parent = await loadModel(new Uint8Array(readFileSync(DEFAULT_MODEL)), { maxBatch: 5000 })
/** The shifts: `inverted` (1 - x) and `rotated` (90 degrees clockwise); `--shift` runs one. */
const SHIFTS = argument('--shift') === undefined ? ['inverted', 'rotated'] : [argument('--shift') as string]
const rotate = (images: Float32Array): Float32Array => {
  const out = new Float32Array(images.length)
  for (let n = 0; n < images.length / 784; n++) for (let y = 0; y < 28; y++) for (let x = 0; x < 28; x++) out[n * 784 + x * 28 + (27 - y)] = images[n * 784 + y * 28 + x] as number
  return out
}
const shiftRows: Record<string, unknown>[] = []
for (const shift of SHIFTS) {
const inverted: Dataset = { ...test, name: `mnist/test ${shift}`, images: shift === 'rotated' ? rotate(test.images) : test.images.map((v) => 1 - v) }
for (const seed of SEEDS) {
  const order = seededPermutation(inverted.count, (seed ^ 0x1e57) >>> 0)
  const adapt = subset(inverted, order.subarray(0, ADAPT))
  const rest = subset(inverted, order.subarray(ADAPT))
  const before = await measure(parent, rest)
  for (const arm of ARMS) {
    const started = performance.now()
    const result = await parent.fineTune(adapt.images, labelsOf(adapt), { ...arm.options, seed })
    const seconds = (performance.now() - started) / 1000
    const adapted = await loadModel(result.bundle, { maxBatch: 5000 })
    const after = await measure(adapted, rest)
    shiftRows.push({ shift, seed, arm: arm.name, before, after, seconds, temperature: result.manifest.calibration.temperature, kernel: result.kernel })
    if (process.argv.includes('--diagnose')) {
      const preds = await adapted.predict(rest.images)
      const meanConfidence = preds.reduce((a, p) => a + p.confidence, 0) / preds.length
      console.log(`  held-out fit: accuracy ${result.metrics.after.accuracy.toFixed(3)}, ECE ${result.metrics.after.ece.toFixed(3)}, items ${result.split.heldOut}; rest: mean confidence ${meanConfidence.toFixed(3)} vs accuracy ${after.served.accuracy.toFixed(3)}`)
    }
    adapted.dispose()
    console.log(`${shift} seed ${seed} ${arm.name}: ${(before.served.accuracy * 100).toFixed(1)}% -> ${(after.served.accuracy * 100).toFixed(1)}%, ECE ${(after.served.ece * 100).toFixed(1)}% (perfectly calibrated: ${(after.served.ecePerfect * 100).toFixed(1)}%, over 3% in ${(after.served.ecePerfectOverGoal * 100).toFixed(0)}% of draws), ${seconds.toFixed(2)} s`)
  }
}
}
parent.dispose()
if (ONLY === 'shift') process.exit(0)

// ---------- B. new classes ----------
const scratch = mkdtempSync(join(tmpdir(), 'sd-dropout-edge-'))
let newClasses: Record<string, unknown>
try {
  const lowDigits = (d: Dataset): Dataset => subset(d, Array.from(d.labels).flatMap((label, i) => (label < 5 ? [i] : [])))
  const writeIdx = (d: Dataset, stem: string): void => {
    writeFileSync(join(scratch, `${stem}-images.idx`), encodeIdx([d.count, 28, 28], Uint8Array.from(d.images, (v) => Math.round(v * 255))))
    writeFileSync(join(scratch, `${stem}-labels.idx`), encodeIdx([d.count], Uint8Array.from(d.labels)))
  }
  writeIdx(lowDigits(train), 'train')
  writeIdx(lowDigits(test), 'test')
  const bundlePath = join(scratch, 'digits-0-4.sdd')
  const command = [
    'training/dist/cli.js', 'train', '--data', 'idx', '--classes', '5', '--name', 'digits-0-4',
    '--train-images', join(scratch, 'train-images.idx'), '--train-labels', join(scratch, 'train-labels.idx'),
    '--test-images', join(scratch, 'test-images.idx'), '--test-labels', join(scratch, 'test-labels.idx'),
    '--epochs', '10', '--sd-rate', '0.2', '--sd-temperature', '1', '--sd-weight', '0.1', '--batch-size', '64', '--out', bundlePath,
  ]
  const trainStarted = performance.now()
  execFileSync(process.execPath, command, { stdio: ['ignore', 'ignore', 'inherit'] })
  const trainSeconds = (performance.now() - trainStarted) / 1000
  const base = await loadModel(new Uint8Array(readFileSync(bundlePath)), { maxBatch: 5000 })

  // at most 100 examples of each new digit, from the training split (never seen by the 0-4 model)
  const perDigit = new Map<number, number[]>()
  for (const i of seededPermutation(train.count, 0x5eed)) {
    const label = train.labels[i] as number
    const list = perDigit.get(label) ?? []
    if (label >= 5 && list.length < 100) perDigit.set(label, [...list, i])
  }
  // the old classes keep a few examples too, so the refitted head does not forget them
  const oldExamples = Array.from(seededPermutation(validation.count, 0x01d)).filter((i) => (validation.labels[i] as number) < 5).slice(0, 250)
  const extension = subset(train, [...perDigit.values()].flat())
  const keep = subset(validation, oldExamples)
  const images = new Float32Array([...keep.images, ...extension.images])
  const labels = [...labelsOf(keep), ...labelsOf(extension)]
  const tuneStarted = performance.now()
  const result = await base.fineTune(images, labels, { ...BUDGET, lambda: 1, seed: 0, classes: { mode: 'extend', labels: ['5', '6', '7', '8', '9'] }, name: 'digits-0-9-extended' })
  const tuneSeconds = (performance.now() - tuneStarted) / 1000
  const extendedPath = join(scratch, 'digits-0-9-extended.sdd')
  writeFileSync(extendedPath, result.bundle)
  const extended = await loadModel(new Uint8Array(readFileSync(extendedPath)), { maxBatch: 5000 })

  const group = (d: Dataset, low: boolean): Dataset => subset(d, Array.from(d.labels).flatMap((label, i) => ((label < 5) === low ? [i] : [])))
  const accuracy = async (model: SdModel, d: Dataset): Promise<number> =>
    (await model.predict(d.images)).filter((p, i) => p.label === String(d.labels[i])).length / d.count

  // served by the worker in real workerd: every test digit through /v1/predict, compared with Node
  const worker = await startLocalWorker({ name: 'edge-training-experiment', bundle: result.bundle })
  let workerAgreement = 0
  const workerCorrect = { low: 0, high: 0 }
  try {
    for (let start = 0; start < test.count; start += 50) {
      const batch = subset(test, Array.from({ length: Math.min(50, test.count - start) }, (_, k) => start + k))
      const rows = Array.from({ length: batch.count }, (_, k) => Array.from(batch.images.subarray(k * 784, (k + 1) * 784)))
      const response = await worker.fetch('/v1/predict', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inputs: rows }) })
      if (!response.ok) throw new Error(`worker answered ${response.status}: ${await response.text()}`)
      const body = (await response.json()) as { predictions: { label: string; probabilities: number[] }[] }
      const node = await extended.predict(batch.images)
      body.predictions.forEach((p, k) => {
        const expected = node[k]
        if (expected !== undefined && p.label === expected.label && p.probabilities.every((v, c) => Math.abs(v - (expected.probabilities[c] as number)) <= 1e-5 + 1e-5 * Math.abs(v))) workerAgreement++
        if (p.label === String(batch.labels[k])) workerCorrect[(batch.labels[k] as number) < 5 ? 'low' : 'high']++
      })
    }
  } finally {
    await worker.dispose()
  }
  const low = group(test, true)
  const high = group(test, false)
  newClasses = {
    command: `node ${command.join(' ')}`,
    trainSeconds,
    fineTuneSeconds: tuneSeconds,
    examples: { newPerDigit: 100, oldKept: keep.count },
    labels: extended.info.labels,
    base: { accuracyOn04: await accuracy(base, low) },
    extended: { accuracyOn04: await accuracy(extended, low), accuracyOn59: await accuracy(extended, high) },
    worker: { accuracyOn04: workerCorrect.low / low.count, accuracyOn59: workerCorrect.high / high.count, agreesWithNode: workerAgreement / test.count, items: test.count },
    provenance: result.manifest.provenance,
  }
  base.dispose()
  extended.dispose()
  console.log('new classes', JSON.stringify(newClasses, null, 1))
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

// ---------- write results ----------
mkdirSync('docs/results', { recursive: true })
writeFileSync('docs/results/edge-training.json', `${JSON.stringify({ measuredAt: new Date().toISOString(), budget: BUDGET, shift: shiftRows, newClasses }, null, 2)}\n`)
type Row = { before: { served: Measured }; after: { served: Measured; deterministic: Measured; mutualInformation: number }; seconds: number }
/** The rows of one shift and arm. */
const rowsOf = (shift: string, arm: string | undefined): Row[] => shiftRows.filter((r) => r.shift === shift && r.arm === arm) as unknown as Row[]
/** The SD-Dropout arm's rows of one shift (the arm the SDK's defaults use). */
const sdRows = (shift: string): Row[] => rowsOf(shift, ARMS[0]?.name)
const tableOf = (shift: string): string[] => ARMS.map((arm) => {
  const rows = rowsOf(shift, arm.name)
  const col = (f: (r: Row) => number): string => stats(rows.map(f))
  return `| ${arm.name} | ${col((r) => r.before.served.accuracy)} | ${col((r) => r.after.served.accuracy)} | ${col((r) => r.after.served.accuracy - r.before.served.accuracy)} | ${col((r) => r.after.served.ece)} | ${col((r) => r.after.served.ecePerfect)} | ${col((r) => r.after.served.ecePerfectOverGoal)} | ${col((r) => r.after.deterministic.accuracy)} | ${col((r) => r.after.deterministic.ece)} | ${(rows.reduce((a, r) => a + r.after.mutualInformation, 0) / rows.length).toFixed(3)} | ${(rows.reduce((a, r) => a + r.seconds, 0) / rows.length).toFixed(2)} |`
})
const nc = newClasses as { command: string; trainSeconds: number; fineTuneSeconds: number; base: { accuracyOn04: number }; extended: { accuracyOn04: number; accuracyOn59: number }; worker: { accuracyOn04: number; accuracyOn59: number; agreesWithNode: number; items: number } }
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`
writeFileSync(
  'docs/results/edge-training.md',
  `# Edge training: adapting the head with \`model.fineTune\`

Written by \`scripts/edge-training-experiment.ts\` (\`npm run build && node scripts/run-ts.mjs scripts/edge-training-experiment.ts\`) on ${new Date().toISOString().slice(0, 10)}.
Raw numbers: [edge-training.json](edge-training.json).

## A. Domain shift: inverted and rotated digits

The default model (\`${DEFAULT_MODEL}\`) meets shifted MNIST test digits: inverted (1 - x) or rotated by 90 degrees. Per shift and seed (${SEEDS.join(', ')}) a seeded draw of
${ADAPT} labelled shifted digits adapts the head in Node (backbone frozen) with the SDK's defaults: 40 epochs of Adam, batch 32, the parent's
MC-dropout rate p = 0.2, and re-calibration (T_cal, OOD thresholds, selective threshold) by 5-fold cross-fitting on those ${ADAPT}; the other
${test.count - ADAPT} shifted digits measure the result. Both arms have the same budget; only lambda differs.
"Served" is what \`predict\` returns by default (the MC mean at S = 32 and T_cal); percentages are mean ± sd over the 3 seeds.
"ECE if perfectly calibrated" is the expected ECE of a perfectly calibrated model with the same served confidences on these ${test.count - ADAPT}
items (the mean over 200 draws in which each item is correct with probability equal to its confidence): the sampling noise of the
ECE estimate itself; "draws of that over 3%" is the share of those draws whose ECE misses the 3% goal.

${SHIFTS.map((shift) => `### ${shift}\n\n| arm | unadapted accuracy | adapted accuracy (served) | gain (points) | ECE after re-calibration (served) | ECE if perfectly calibrated | draws of that over 3% | deterministic accuracy | deterministic ECE | mean MI (nats) | fine-tune s |\n|---|---|---|---|---|---|---|---|---|---|---|\n${tableOf(shift).join('\n')}\n`).join('\n')}

Goals: +20 accuracy points over the unadapted model, ECE after re-calibration <= 3%.

## B. New classes

\`${nc.command.replace(/\/tmp\/[^ ]*\//g, '<tmp>/')}\` trained a model on digits 0-4 only (${nc.trainSeconds.toFixed(0)} s). \`model.fineTune\` with
\`classes: { mode: 'extend', labels: ['5'..'9'] }\` then taught it 5-9 from 100 examples of each (plus 250 examples of 0-4 so the
refitted head keeps them) in ${nc.fineTuneSeconds.toFixed(2)} s in Node. The new bundle was saved, loaded by the worker in real workerd
and asked for every test digit through \`POST /v1/predict\`.

| model | test digits 0-4 | test digits 5-9 |
|---|---|---|
| trained on 0-4 (Node) | ${pct(nc.base.accuracyOn04)} | (cannot answer) |
| extended (Node) | ${pct(nc.extended.accuracyOn04)} | ${pct(nc.extended.accuracyOn59)} |
| extended, served by the worker | ${pct(nc.worker.accuracyOn04)} | ${pct(nc.worker.accuracyOn59)} |

The worker's label and probabilities matched Node's (within 1e-5 + 1e-5 |v|) on ${pct(nc.worker.agreesWithNode)} of the ${nc.worker.items} test digits.

## What we found (and tried)

- Accuracy: every arm clears the +20-point goal on both shifts. Plain CE head fine-tuning is the more
  accurate one (4-13 points); SD-Dropout's consistency term pulls the two dropout branches together and
  underfits a frozen 64-d feature a little.
- Calibration of what is served: the SDK serves the MC-dropout mean at S = 32. A head fine-tuned with plain CE
  never sees dropout, its dropout samples disagree (mean MI 0.4-1.0 nats) and one temperature cannot calibrate
  their mean: served ECE 10-20%. SD-Dropout (lambda 1) keeps the samples consistent (MI 0.15-0.28) and the served
  mean calibratable: 3.5% (rotated) and 5.2% (inverted). That is why the SDK's defaults are lambda 1 and 40 epochs.
- The <= 3% ECE goal is NOT met by the defaults (rotated 3.5 ± 0.6%, inverted 5.2 ± 2.6%). What moved it, explored
  with \`--only shift --budget '{...}' --lambdas '[...]'\` (3 seeds each, numbers in the commit log of this file's script):
  lambda 0.1 or 0.3 left served ECE at 7-21%; a 20% hold-out for T_cal (instead of cross-fitting) gave 5-8%;
  a smaller head dropout rate (\`dropoutRate: 0.05\`, 60 epochs) gave rotated 1.8 / 3.3 / 3.5% and inverted
  4.2-6.7%. On the rotated shift (served ECE of seeds 0 / 1 / 2; defaults 3.8 / 4.0 / 2.8%): 10 folds 3.4 / 4.1 / 2.8%,
  20 epochs 4.0 / 4.7 / 5.5%, 80 epochs 2.5 / 3.8 / 4.5%, learning rate 0.003 5.0 / 5.7 / 6.6%, weight decay 1e-3
  3.8 / 4.3 / 2.6%. With 500 examples the residual is mostly the estimate of one temperature; the inverted shift
  leaves the frozen features far from separable (50-66% accuracy), which no head-only method fixes.
- The goal sits at the measurement's own noise: on ${test.count - ADAPT} items at these confidences, a perfectly calibrated model
  would measure the "ECE if perfectly calibrated" column (SD-Dropout arm: ${SHIFTS.map((shift) => `${shift} ${stats(sdRows(shift).map((r) => r.after.served.ecePerfect))}%, over 3% in ${stats(sdRows(shift).map((r) => r.after.served.ecePerfectOverGoal))}% of draws`).join('; ')}).
  The served mean confidence on the rest was above the accuracy in some seeds and below it in others (\`--diagnose\`): no
  systematic bias of T_cal for a method change to remove, only the variance of one temperature fitted on 500 examples plus
  the estimator's noise. Checking the goal needs a larger shifted test set than the 1,500 digits the built-in split leaves,
  or a goal stated against this noise.
`,
)
console.log('wrote docs/results/edge-training.md')
