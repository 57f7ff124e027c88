/**
 * Edge training experiment (issue 8): adapting a model's head where it runs, with the SDK's
 * `model.fineTune`, and checking the result where it is served.
 *
 * A. Domain shift: the default model meets inverted or rotated MNIST test digits. For 3 seeds, a
 *    seeded draw of 500 labelled shifted digits adapts the head (SD-Dropout with T_cal by Brier, the
 *    SDK's defaults, vs the same with T_cal by NLL vs plain CE head fine-tuning, same budget), T_cal /
 *    thresholds are refitted by cross-fitting on those 500, and the other 1,500 shifted digits
 *    measure accuracy, ECE and NLL of what `predict` serves (MC mean at S) and of the deterministic
 *    prediction, against the unadapted model; the two SD-Dropout arms also run on 10 seeds.
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
import { createTypeScriptHeadKernel, dropoutHash, evaluateClassification, expectedCalibrationError, fitDeployment, loadModel, matrix, readBundle, topLabelPredictions, type CalibrationObjective, type FineTuneOptions, type Matrix, type SdModel } from '@sd-dropout/sdk'
import { encodeIdx, loadMnistSplit, seededPermutation, subset, type Dataset } from '@sd-dropout/training'
import { startLocalWorker } from '../test/workers/local-worker.js'

const DEFAULT_MODEL = 'models/mnist-sd-dropout/model.sdd'
/** The seeds of part A's side-by-side table (`--seeds '[0, 1, 2]'`, the default); part B uses seed 0. */
const SEEDS = JSON.parse(argument('--seeds') ?? '[0, 1, 2]') as number[]
/** The seeds of the robustness check of the SD-Dropout arms (`--check-seeds`, default 0..9). */
const CHECK_SEEDS = JSON.parse(argument('--check-seeds') ?? '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]') as number[]
const ADAPT = 500
/** The fine-tuning budget of every arm (`--budget '{...}'`, default: the SDK's defaults). */
const BUDGET: FineTuneOptions = { ...(JSON.parse(argument('--budget') ?? '{}') as FineTuneOptions) }
/** `--only shift` runs part A alone and prints it (for exploring budgets); results are written only by a full run. */
const ONLY = argument('--only')
interface Arm {
  readonly name: string
  readonly options: FineTuneOptions
  /** Also run on every CHECK_SEEDS seed. */
  readonly check: boolean
}
/**
 * The arms: the SDK's defaults (SD-Dropout, lambda 1, T_cal by the Brier score), the same head with
 * T_cal by NLL, and plain CE head fine-tuning with the same budget and re-calibration. `--lambdas
 * '[...]'` replaces them by one arm per lambda with the budget as given (for exploring).
 */
const ARMS: readonly Arm[] =
  argument('--lambdas') === undefined
    ? [
        { name: 'SD-Dropout (lambda 1), T_cal by Brier (the defaults)', options: { ...BUDGET, lambda: 1, temperature: 1 }, check: true },
        { name: 'SD-Dropout (lambda 1), T_cal by NLL', options: { ...BUDGET, lambda: 1, temperature: 1, calibrationObjective: 'nll' }, check: true },
        { name: 'plain CE (lambda 0), T_cal by Brier', options: { ...BUDGET, lambda: 0 }, check: false },
      ]
    : (JSON.parse(argument('--lambdas') as string) as number[]).map((lambda) => ({
        name: lambda === 0 ? 'plain CE (lambda 0)' : `SD-Dropout (lambda ${lambda}, tau 1)`,
        options: { ...BUDGET, lambda, temperature: 1 },
        check: false,
      }))
const objectiveOf = (arm: Arm): CalibrationObjective => arm.options.calibrationObjective ?? 'brier'

function argument(flag: string): string | undefined {
  const at = process.argv.indexOf(flag)
  return at >= 0 ? process.argv[at + 1] : undefined
}

interface Measured {
  readonly accuracy: number
  readonly ece: number
  /** Mean NLL, nats. */
  readonly nll: number
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

/** Served (MC at the bundle's S) and deterministic accuracy / ECE of a model on a data set (its features h when already computed). */
async function measure(model: SdModel, data: Dataset, computed?: Float32Array): Promise<{ served: Measured; deterministic: Measured; mutualInformation: number }> {
  const features = computed ?? (await model.features(data.images)).features
  const batch = data.count
  const at = (samples: number): { probabilities: Float32Array; mutualInformation: Float32Array } => model.head(features, batch, { samples })
  const metrics = (probabilities: Float32Array): Measured => {
    const p = matrix(Float64Array.from(probabilities), batch, model.info.labels.length)
    const m = evaluateClassification(p, data.labels)
    const perfect = perfectlyCalibratedEce(p, data.labels)
    return { accuracy: m.accuracy, ece: m.ece, nll: m.nll, ecePerfect: perfect.mean, ecePerfectOverGoal: perfect.overGoal }
  }
  const served = at(model.info.ood.samples)
  return {
    served: metrics(served.probabilities),
    deterministic: metrics(at(0).probabilities),
    mutualInformation: served.mutualInformation.reduce((a, b) => a + b, 0) / batch,
  }
}

/**
 * The served ECE on `data` at the best temperature for `objective` fitted on `data` itself (an
 * oracle no deployment has: it shows what one temperature can do at best, apart from estimating it).
 */
async function bestTemperatureEce(bundle: Uint8Array, features: Float32Array, labels: Int32Array, objective: CalibrationObjective): Promise<number> {
  const parsed = await readBundle(bundle)
  const m = parsed.manifest
  const head = { weight: parsed.float32(m.head.weightPart), bias: parsed.float32(m.head.biasPart), featureDim: m.head.inputDim, classes: m.head.classes, dropoutRate: m.head.dropoutRate }
  const labelled = { features, labels }
  const fit = fitDeployment({ head, train: labelled, heldOut: labelled, samples: m.ood.samples, seed: m.ood.seed, targetAcceptance: 0.95, targetRisk: 0.01, kernel: createTypeScriptHeadKernel(), calibrationObjective: objective })
  return fit.metrics.ece
}

const average = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length
/** Mean ± sample sd of values, scaled (default: fractions as percent, one decimal). */
const stats = (values: readonly number[], scale = 100, digits = 1): string => {
  const mean = average(values)
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1))
  return `${(mean * scale).toFixed(digits)} ± ${(sd * scale).toFixed(digits)}`
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
for (const seed of [...new Set([...SEEDS, ...(ARMS.some((arm) => arm.check) ? CHECK_SEEDS : [])])].sort((a, b) => a - b)) {
  const order = seededPermutation(inverted.count, (seed ^ 0x1e57) >>> 0)
  const adapt = subset(inverted, order.subarray(0, ADAPT))
  const rest = subset(inverted, order.subarray(ADAPT))
  const before = await measure(parent, rest)
  for (const arm of ARMS.filter((a) => SEEDS.includes(seed) || a.check)) {
    const started = performance.now()
    const result = await parent.fineTune(adapt.images, labelsOf(adapt), { ...arm.options, seed })
    const seconds = (performance.now() - started) / 1000
    const adapted = await loadModel(result.bundle, { maxBatch: 5000 })
    const { features } = await adapted.features(rest.images)
    const after = await measure(adapted, rest, features)
    const eceAtBestTemperature = await bestTemperatureEce(result.bundle, features, rest.labels, objectiveOf(arm))
    shiftRows.push({ shift, seed, arm: arm.name, before, after, eceAtBestTemperature, seconds, temperature: result.manifest.calibration.temperature, kernel: result.kernel })
    if (process.argv.includes('--diagnose')) {
      const preds = await adapted.predict(rest.images)
      const meanConfidence = preds.reduce((a, p) => a + p.confidence, 0) / preds.length
      console.log(`  held-out fit: accuracy ${result.metrics.after.accuracy.toFixed(3)}, ECE ${result.metrics.after.ece.toFixed(3)}, items ${result.split.heldOut}; rest: mean confidence ${meanConfidence.toFixed(3)} vs accuracy ${after.served.accuracy.toFixed(3)}`)
    }
    adapted.dispose()
    console.log(`${shift} seed ${seed} ${arm.name}: ${(before.served.accuracy * 100).toFixed(1)}% -> ${(after.served.accuracy * 100).toFixed(1)}%, ECE ${(after.served.ece * 100).toFixed(1)}% (at the best T on the rest: ${(eceAtBestTemperature * 100).toFixed(1)}%; perfectly calibrated: ${(after.served.ecePerfect * 100).toFixed(1)}%, over 3% in ${(after.served.ecePerfectOverGoal * 100).toFixed(0)}% of draws), ${seconds.toFixed(2)} s`)
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
type Row = { seed: number; temperature: number; before: { served: Measured }; after: { served: Measured; deterministic: Measured; mutualInformation: number }; eceAtBestTemperature: number; seconds: number }
/** The rows of one shift and arm, on `seeds`. */
const rowsOf = (shift: string, arm: Arm | undefined, seeds: readonly number[] = SEEDS): Row[] =>
  (shiftRows.filter((r) => r.shift === shift && r.arm === arm?.name) as unknown as Row[]).filter((r) => seeds.includes(r.seed))
const [DEFAULTS, BY_NLL, CE] = ARMS
const tableOf = (shift: string): string[] => ARMS.map((arm) => {
  const rows = rowsOf(shift, arm)
  const col = (f: (r: Row) => number): string => stats(rows.map(f))
  return `| ${arm.name} | ${col((r) => r.before.served.accuracy)} | ${col((r) => r.after.served.accuracy)} | ${col((r) => r.after.served.accuracy - r.before.served.accuracy)} | ${col((r) => r.after.served.ece)} | ${average(rows.map((r) => r.after.served.nll)).toFixed(3)} | ${col((r) => r.eceAtBestTemperature)} | ${col((r) => r.after.served.ecePerfect)} | ${col((r) => r.after.served.ecePerfectOverGoal)} | ${col((r) => r.after.deterministic.accuracy)} | ${col((r) => r.after.deterministic.ece)} | ${average(rows.map((r) => r.after.mutualInformation)).toFixed(3)} | ${average(rows.map((r) => r.seconds)).toFixed(2)} |`
})
/** Served ECE of an arm on every check seed: mean ± sd, range, and how many seeds met the goal. */
const checkOf = (shift: string, arm: Arm): { row: string; eces: number[] } => {
  const rows = rowsOf(shift, arm, CHECK_SEEDS)
  const eces = rows.map((r) => r.after.served.ece)
  const percent = (v: number): string => (v * 100).toFixed(1)
  return {
    eces,
    row: `| ${shift} | ${arm.name} | ${stats(eces)} | ${percent(Math.min(...eces))}-${percent(Math.max(...eces))} | ${eces.filter((e) => e <= 0.03).length} of ${eces.length} | ${stats(rows.map((r) => r.eceAtBestTemperature))} | ${average(rows.map((r) => r.after.served.nll)).toFixed(3)} | ${stats(rows.map((r) => r.after.served.ecePerfect))} |`,
  }
}
const checkArms = ARMS.filter((arm) => arm.check)
/** Seed-by-seed served ECE of an arm (percent, one decimal), for the text. */
const perSeed = (shift: string, arm: Arm | undefined, seeds: readonly number[] = SEEDS, digits = 1): string => rowsOf(shift, arm, seeds).map((r) => (r.after.served.ece * 100).toFixed(digits)).join(' / ')
/** The mean of f over an arm's rows on `seeds`, scaled (default: a fraction as percent, one decimal), for the text. */
const meanOf = (shift: string, arm: Arm | undefined, f: (r: Row) => number, seeds: readonly number[] = CHECK_SEEDS, scale = 100, digits = 1): string =>
  (average(rowsOf(shift, arm, seeds).map(f)) * scale).toFixed(digits)
const nc = newClasses as { command: string; trainSeconds: number; fineTuneSeconds: number; base: { accuracyOn04: number }; extended: { accuracyOn04: number; accuracyOn59: number }; worker: { accuracyOn04: number; accuracyOn59: number; agreesWithNode: number; items: number } }
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`
writeFileSync(
  'docs/results/edge-training.md',
  `# Edge training: adapting the head with \`model.fineTune\`

Written by \`scripts/edge-training-experiment.ts\` (\`npm run build && node scripts/run-ts.mjs scripts/edge-training-experiment.ts\`) on ${new Date().toISOString().slice(0, 10)}.
Raw numbers: [edge-training.json](edge-training.json).

## A. Domain shift: inverted and rotated digits

The default model (\`${DEFAULT_MODEL}\`) meets shifted MNIST test digits: inverted (1 - x) or rotated by 90 degrees. Per shift and seed a seeded draw of
${ADAPT} labelled shifted digits adapts the head in Node (backbone frozen) with the SDK's defaults: 40 epochs of Adam, batch 32, the parent's
MC-dropout rate p = 0.2, and re-calibration (T_cal, OOD thresholds, selective threshold) by 5-fold cross-fitting on those ${ADAPT}, T_cal
minimising the Brier score of the out-of-fold predictions; the other ${test.count - ADAPT} shifted digits measure the result. Every arm has the same
budget; the arms differ only in lambda or in what T_cal minimises (\`calibrationObjective\`).
"Served" is what \`predict\` returns by default (the MC mean at S = 32 and T_cal); percentages are mean ± sd over seeds ${SEEDS.join(', ')}.
"ECE at the best T on the rest" refits T by the arm's objective on the ${test.count - ADAPT} measuring digits themselves (an oracle no deployment
has): what one temperature can do at best. "ECE if perfectly calibrated" is the expected ECE of a perfectly calibrated model with the same
served confidences on these ${test.count - ADAPT} items (the mean over 200 draws in which each item is correct with probability equal to its
confidence): the sampling noise of the ECE estimate itself; "draws of that over 3%" is the share of those draws whose ECE misses the 3% goal.

${SHIFTS.map((shift) => `### ${shift}\n\n| arm | unadapted accuracy | adapted accuracy (served) | gain (points) | ECE after re-calibration (served) | served NLL (nats) | ECE at the best T on the rest | ECE if perfectly calibrated | draws of that over 3% | deterministic accuracy | deterministic ECE | mean MI (nats) | fine-tune s |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n${tableOf(shift).join('\n')}\n`).join('\n')}

Goals: +20 accuracy points over the unadapted model, ECE after re-calibration <= 3%.

### Robustness: the SD-Dropout arms on seeds ${CHECK_SEEDS[0]}-${CHECK_SEEDS[CHECK_SEEDS.length - 1]}

| shift | arm | served ECE | range | seeds with ECE <= 3% | ECE at the best T on the rest | served NLL (nats) | ECE if perfectly calibrated |
|---|---|---|---|---|---|---|---|
${SHIFTS.flatMap((shift) => checkArms.map((arm) => checkOf(shift, arm).row)).join('\n')}

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
  never sees dropout, its dropout samples disagree (mean MI ${SHIFTS.map((shift) => `${shift} ${stats(rowsOf(shift, CE).map((r) => r.after.mutualInformation), 1, 2)}`).join(', ')} nats, against ${SHIFTS.map((shift) => stats(rowsOf(shift, DEFAULTS).map((r) => r.after.mutualInformation), 1, 2)).join(' and ')} for SD-Dropout) and one temperature cannot calibrate
  their mean, even the best one fitted on the measuring digits (the "best T" column). SD-Dropout (lambda 1) keeps the
  samples consistent and the served mean calibratable. That is why the SDK's defaults are lambda 1 and 40 epochs.
- What T_cal minimises matters under a shift. Fitted by NLL, T_cal left the rotated digits under-confident in
  seeds 0, 1 and 2 (\`--diagnose\`: mean confidence 1.5-3.2 points below the accuracy), and even the
  NLL-best T fitted on the measuring digits themselves leaves rotated ECE at ${meanOf('rotated', BY_NLL, (r) => r.eceAtBestTemperature)}% (mean of ${CHECK_SEEDS.length} seeds), where
  the Brier-best T leaves ${meanOf('rotated', DEFAULTS, (r) => r.eceAtBestTemperature)}%. NLL charges -ln p for each confidently wrong digit without bound (rotated
  6 / 9 look alike), so a few of them pull T up and soften every prediction; the Brier score charges at most 2 per
  item. With T_cal by Brier on the cross-fitted out-of-fold predictions, served ECE on the rotated shift fell from
  ${meanOf('rotated', BY_NLL, (r) => r.after.served.ece)}% to ${meanOf('rotated', DEFAULTS, (r) => r.after.served.ece)}% over ${CHECK_SEEDS.length} seeds (served NLL ${meanOf('rotated', BY_NLL, (r) => r.after.served.nll, CHECK_SEEDS, 1, 3)} -> ${meanOf('rotated', DEFAULTS, (r) => r.after.served.nll, CHECK_SEEDS, 1, 3)} nats: each
  objective wins its own score). On the inverted shift it did not help: ${meanOf('inverted', BY_NLL, (r) => r.after.served.ece)}% by NLL, ${meanOf('inverted', DEFAULTS, (r) => r.after.served.ece)}% by Brier; there
  even the best T leaves ${meanOf('inverted', DEFAULTS, (r) => r.eceAtBestTemperature)}% (Brier) / ${meanOf('inverted', BY_NLL, (r) => r.eceAtBestTemperature)}% (NLL): at about 50% accuracy the frozen features are far from
  separable and the confidences are mis-shaped, not mis-scaled, which no temperature and no head-only method fixes.
  So the SDK's fine-tuning default is \`calibrationObjective: 'brier'\` (\`'nll'\` remains an option); the trainer keeps
  NLL for its in-distribution validation split (default model: served ECE 1.03%).
- The cost: one T_cal serves both the MC mean and \`samples: 0\`, and the Brier T is sharper (rotated T_cal
  ${stats(rowsOf('rotated', DEFAULTS).map((r) => r.temperature), 1, 2)} against ${stats(rowsOf('rotated', BY_NLL).map((r) => r.temperature), 1, 2)} by NLL), so the deterministic prediction of a fine-tuned model is
  over-confident: deterministic ECE ${meanOf('rotated', DEFAULTS, (r) => r.after.deterministic.ece, SEEDS)}% (rotated) and ${meanOf('inverted', DEFAULTS, (r) => r.after.deterministic.ece, SEEDS)}% (inverted) against ${meanOf('rotated', BY_NLL, (r) => r.after.deterministic.ece, SEEDS)}% and
  ${meanOf('inverted', BY_NLL, (r) => r.after.deterministic.ece, SEEDS)}% by NLL. Serve fine-tuned models with MC dropout (the default), or fine-tune with \`calibrationObjective: 'nll'\`
  when \`samples: 0\` is what you serve.
- The <= 3% ECE goal: met on the rotated shift by the defaults as the mean of seeds ${SEEDS.join(' / ')} (${meanOf('rotated', DEFAULTS, (r) => r.after.served.ece, SEEDS)}%; per seed
  ${perSeed('rotated', DEFAULTS, SEEDS, 2)}%, ${rowsOf('rotated', DEFAULTS).filter((r) => r.after.served.ece > 0.03).length} of ${SEEDS.length} over 3%; ${checkOf('rotated', DEFAULTS as Arm).eces.filter((e) => e <= 0.03).length} of ${CHECK_SEEDS.length} seeds at or under 3%), with little margin: a
  perfectly calibrated model with these confidences would itself measure ${meanOf('rotated', DEFAULTS, (r) => r.after.served.ecePerfect, SEEDS)}% on ${test.count - ADAPT} digits. NOT met on the inverted shift (seeds ${SEEDS.join(' / ')}: ${perSeed('inverted', DEFAULTS)}%), where a
  perfectly calibrated model would measure ${meanOf('inverted', DEFAULTS, (r) => r.after.served.ecePerfect, SEEDS)}% and fail the goal in about half of the draws.
- Earlier exploration, all with T_cal by NLL (\`--only shift --budget '{...}' --lambdas '[...]'\`, 3 seeds each):
  lambda 0.1 or 0.3 left served ECE at 7-21%; a 20% hold-out for T_cal (instead of cross-fitting) gave 5-8%;
  a smaller head dropout rate (\`dropoutRate: 0.05\`, 60 epochs) gave rotated 1.8 / 3.3 / 3.5% and inverted
  4.2-6.7%. On the rotated shift (served ECE of seeds 0 / 1 / 2; defaults then 3.8 / 4.0 / 2.8%): 10 folds 3.4 / 4.1 / 2.8%,
  20 epochs 4.0 / 4.7 / 5.5%, 80 epochs 2.5 / 3.8 / 4.5%, learning rate 0.003 5.0 / 5.7 / 6.6%, weight decay 1e-3
  3.8 / 4.3 / 2.6%.
`,
)
console.log('wrote docs/results/edge-training.md')
