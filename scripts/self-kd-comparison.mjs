// Self-KD comparison: every method the trainer has (CE, SD-Dropout, PS-KD, FRSKD, LSSKD), each peer
// alone and + SD-Dropout, for several seeds, every run with the same budget (the default network:
// cnn w = 16, 20 epochs, batch 64, Adam lr 0.01 cosine, shift augmentation, p = 0.2; SD-Dropout at
// the default model's tau = 1, lambda = 0.1). Each run is `sd-dropout train` then
// `sd-dropout evaluate --json`; raw records go to <out>.json and the tables to <out>.md.
//
// Usage:
//   npm run build && node scripts/self-kd-comparison.mjs [options]
// Options:
//   --methods a,b,...       methods to run (default: ce, sd-dropout, ps-kd, ps-kd+sd-dropout, frskd,
//                           frskd+sd-dropout, lsskd, lsskd+sd-dropout)
//   --seeds 0,1,2           run seeds (default 0,1,2)
//   --epochs 20             epochs of every run (default 20)
//   --budget-minutes 60     training-time budget of one run (the loop's own time, summed over
//                           epochs); a run over it is marked in the tables (default 60)
//   --train-images F --train-labels F --test-images F --test-labels F
//                           IDX files instead of the built-in MNIST split (validation: 10% of train)
//   --ood-images F[,F]      IDX OOD sets for evaluate, besides the synthetic ones
//   --scratch DIR           bundles, checkpoints and per-run records (default tmp/self-kd-comparison,
//                           git-ignored, so runs survive between sessions)
//   --out PATH              where the tables go, without extension (default docs/results/self-kd)
//   --shard i/n             run every n-th run only (one process per core)
//   --report-only           train nothing; write the tables from the records there are
//   --cli FILE              the sd-dropout CLI to run (default training/dist/cli.js; a copy built
//                           elsewhere keeps a long grid on one build while the tree changes)
// Runs are resumed: a finished run is reused (also one recorded only in the committed <out>.json,
// as in a fresh checkout), a bundle without evaluation is re-evaluated, a training stopped mid-way
// continues from its checkpoint. Nothing in <out>.json is dropped: runs of the same configuration
// outside --methods / --seeds stay in both outputs, and runs of another configuration (other
// --epochs or IDX files) make the script stop before it trains or writes. The tables are written after every
// invocation from the runs done so far, with the runs still missing listed; a "## Findings" section
// already in <out>.md is kept.
import { existsSync, mkdirSync, readFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { readBundleFile } from '@sd-dropout/sdk'
import { cell, ensureRun, mean, parseShard, readRun, root, runTag, writeText } from './experiment-runs.mjs'

const ALL_METHODS = ['ce', 'sd-dropout', 'ps-kd', 'ps-kd+sd-dropout', 'frskd', 'frskd+sd-dropout', 'lsskd', 'lsskd+sd-dropout']
const { values } = parseArgs({
  options: {
    methods: { type: 'string', default: ALL_METHODS.join(',') },
    seeds: { type: 'string', default: '0,1,2' },
    epochs: { type: 'string', default: '20' },
    'budget-minutes': { type: 'string', default: '60' },
    'train-images': { type: 'string' },
    'train-labels': { type: 'string' },
    'test-images': { type: 'string' },
    'test-labels': { type: 'string' },
    'ood-images': { type: 'string' },
    scratch: { type: 'string', default: join(root, 'tmp/self-kd-comparison') },
    out: { type: 'string', default: join(root, 'docs/results/self-kd') },
    shard: { type: 'string', default: '0/1' },
    'report-only': { type: 'boolean', default: false },
    cli: { type: 'string' },
  },
})
const shard = parseShard(values.shard)
const methods = values.methods.split(',').map((m) => m.trim())
const seeds = values.seeds.split(',').map(Number)
const epochs = Number(values.epochs)
const budgetSeconds = 60 * Number(values['budget-minutes'])
const idx = values['train-images'] !== undefined
if (idx && (values['train-labels'] === undefined || values['test-images'] === undefined || values['test-labels'] === undefined)) {
  throw new Error('--train-images needs --train-labels, --test-images and --test-labels')
}
const dataArgs = idx
  ? ['--data', 'idx', '--train-images', values['train-images'], '--train-labels', values['train-labels'], '--test-images', values['test-images'], '--test-labels', values['test-labels']]
  : ['--data', 'mnist']
const evaluateArgs = [
  ...(idx ? ['--data', 'idx', '--test-images', values['test-images'], '--test-labels', values['test-labels']] : ['--data', 'mnist']),
  ...(values['ood-images'] === undefined ? [] : ['--ood-images', values['ood-images']]),
]
const dataName = idx ? `IDX ${basename(values['train-images'])}` : 'the built-in MNIST split'
// The default network and budget; SD-Dropout at the default model's settings (docs/cli.md).
const common = ['--model', 'cnn', '--epochs', String(epochs), '--batch-size', '64', '--optimizer', 'adam', '--lr', '0.01', '--schedule', 'cosine', '--augment', 'shift', '--sd-rate', '0.2', '--sd-temperature', '1', '--sd-weight', '0.1']

/** Parameter counts and per-epoch seconds from a written bundle (provenance and weight specs). */
async function describe(bundlePath) {
  const { manifest } = await readBundleFile(bundlePath)
  const hyper = manifest.provenance.hyperParameters
  const history = hyper.history ?? []
  const backboneValues = manifest.backbone.weightSpecs.reduce((sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1), 0)
  return {
    epochSeconds: history.map((epoch) => epoch.seconds),
    trainingParameters: hyper.parameters?.training ?? null,
    methodParameters: hyper.parameters?.method ?? null,
    exportParameters: backboneValues + manifest.head.inputDim * manifest.head.classes + manifest.head.classes,
    backboneWeights: manifest.backbone.weightSpecs.map((spec) => spec.name),
  }
}

/** What a run's tag says of its configuration: the epochs and, for IDX data, the training file. */
const tagSuffix = `e${epochs}${idx ? `-${basename(values['train-images'])}` : ''}`
const tagOf = (method, seed) => runTag(method, seed, tagSuffix)
// Seed-major, so that every method has a first seed early when the grid is run over several sessions.
const plan = seeds.flatMap((seed) => methods.map((method) => ({ method, seed })))
const outPath = isAbsolute(values.out) ? values.out : join(root, values.out)
/** Committed records of the same configuration outside this plan (other methods or seeds): kept in the outputs. */
const otherRuns = await adoptCommittedRuns()
for (const [i, { method, seed }] of plan.entries()) {
  if (values['report-only'] || i % shard.count !== shard.index) continue
  const record = await ensureRun({
    scratch: values.scratch,
    tag: tagOf(method, seed),
    mine: true,
    trainArgs: [...common, '--method', method, '--seed', String(seed)],
    dataArgs,
    evaluateArgs,
    meta: { method, seed },
    describe,
    ...(values.cli === undefined ? {} : { cliPath: values.cli }),
  })
  if (record !== null) await writeReport()
}
await writeReport(true)

/**
 * A fresh checkout has no scratch folder, but the committed <out>.json holds the records of the runs
 * done in earlier sessions: each one of this plan (same method, seed and run tag, so the same epochs
 * and training file) that the scratch folder lacks is written there, so it counts as done and is not
 * rerun, by the same rule as a record already in the scratch folder. After changing the training
 * settings or the evaluation, give a new --out (or delete the records) to run everything again.
 *
 * Nothing committed is dropped: records of the same configuration outside this plan (a run with
 * fewer --methods or --seeds) are returned and stay in the tables and the JSON; records of another
 * configuration (other epochs or training file) stop the script before anything is trained or written.
 */
async function adoptCommittedRuns() {
  if (!existsSync(`${outPath}.json`)) return []
  const committed = JSON.parse(readFileSync(`${outPath}.json`, 'utf8'))
  if (!Array.isArray(committed)) throw new Error(`${outPath}.json: expected an array of run records`)
  const bundleName = (r) => basename(r.evaluation?.bundle?.path ?? '')
  const foreign = committed.filter((r) => typeof r.method !== 'string' || !Number.isInteger(r.seed) || bundleName(r) !== `${tagOf(r.method, r.seed)}.sdd`)
  if (foreign.length > 0) {
    throw new Error(`${relative(root, outPath)}.json holds ${foreign.length} runs of another configuration (e.g. ${bundleName(foreign[0]) || 'a record without a bundle'}, this run's tags end in -${tagSuffix.toLowerCase()}); give another --out so they are not overwritten`)
  }
  mkdirSync(values.scratch, { recursive: true })
  let adopted = 0
  for (const { method, seed } of plan) {
    const tag = tagOf(method, seed)
    if (readRun(values.scratch, tag) !== null) continue
    const record = committed.find((r) => r.method === method && r.seed === seed)
    if (record === undefined) continue
    await writeText(join(values.scratch, `${tag}.json`), JSON.stringify(record, null, 2))
    adopted++
  }
  if (adopted > 0) console.error(`# adopted ${adopted} finished runs from ${relative(root, outPath)}.json`)
  return committed.filter((r) => !plan.some(({ method, seed }) => r.method === method && r.seed === seed))
}

/** The command line's arguments that change the results (not how runs are spread: --shard, --report-only, --cli, --scratch). */
function shownArguments() {
  const argv = process.argv.slice(2)
  const shown = []
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i].split('=')[0]
    if (['--shard', '--cli', '--scratch'].includes(flag)) {
      if (!argv[i].includes('=')) i++
    } else if (flag !== '--report-only') shown.push(argv[i])
  }
  return shown
}

/** Writes <out>.md and <out>.json from every record in the scratch folder (all shards). */
async function writeReport(print = false) {
  const results = []
  const missing = []
  for (const { method, seed } of plan) {
    const record = readRun(values.scratch, tagOf(method, seed))
    if (record === null) missing.push(`${method} seed ${seed}`)
    else results.push(record)
  }
  // committed runs of this configuration outside the plan stay (see adoptCommittedRuns), in plan order
  results.push(...otherRuns)
  const methodOrder = [...ALL_METHODS, ...new Set(results.map((r) => r.method))]
  results.sort((a, b) => a.seed - b.seed || methodOrder.indexOf(a.method) - methodOrder.indexOf(b.method))
  const percent = (x) => (100 * x).toFixed(2)
  const byMethod = [...new Set(methodOrder)].map((method) => ({ method, runs: results.filter((r) => r.method === method) })).filter(({ runs }) => runs.length > 0)
  const trainSeconds = (r) => r.epochSeconds.reduce((a, b) => a + b, 0)
  const oodSets = Object.keys(results[0]?.evaluation.ood ?? {})
  const scores = ['msp', 'energy', 'mutual-information', 'mahalanobis']
  const lines = [
    `# Self-KD comparison on ${dataName}`,
    '',
    `Written by \`node scripts/self-kd-comparison.mjs${shownArguments().map((a) => ` ${a}`).join('')}\` (runs spread over \`--shard i/n\` processes and sessions; tables rewritten with \`--report-only\`) on ${new Date().toISOString().slice(0, 10)}.`,
    `Every run: \`sd-dropout train ${common.join(' ')} --method <method> --seed <seed>\` (the default network:`,
    'cnn w = 16, conv16-pool-conv32/BN-pool-conv64/BN, global average pooling, D = 64), then `sd-dropout evaluate --json`',
    '(every metric recomputed from data through the SDK). Peers at their defaults (docs/methods.md): PS-KD alpha_T 0.8;',
    'FRSKD tau 4, alpha 2, beta 100, self-teacher width 1, depth 2; LSSKD tau 3, KL and feature weights 1. SD-Dropout at',
    'the default model\'s p = 0.2, tau = 1, lambda = 0.1, alone and combined (the peer\'s own loss keeps weight 1). The MC-dropout',
    'rate of every bundle is p = 0.2. Training on the 7,000 training digits, T_cal and thresholds on the 1,000 validation',
    'digits, metrics on the 2,000 test digits (built-in split). Values: mean ± sd over seeds (one value: one run so far); accuracy, ECE in %.',
    `Budget: ${epochs} epochs per run, and at most ${values['budget-minutes']} minutes of training time per run on this 2-core machine`,
    '(wasm backend, one or two trainings at once); runs over it are marked *.',
    '**Served** = pbar, the mean of S = 32 MC-dropout samples (mask seed 0) at T_cal, what `predict` returns; **deterministic**',
    '= softmax(z0 / T_cal), no dropout. "raw" = the same prediction at T = 1. OOD sets: synthetic, made offline from the test digits.',
    'Parameters at training = trainable values (backbone, head and the method\'s own networks); exported = every value of the',
    'bundle\'s model (backbone weights including batch-norm running statistics, head W and b). s / epoch = the training loop\'s time.',
    '',
    '## Summary',
    '',
    '| method | runs | accuracy % served | accuracy % deterministic | min accuracy % (served) | NLL served | ECE % served raw -> T_cal | ECE % det. raw -> T_cal | AURC served | s / epoch | parameters training | parameters export |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ]
  for (const { method, runs } of byMethod) {
    const e = runs.map((r) => r.evaluation)
    const over = runs.some((r) => trainSeconds(r) > budgetSeconds) ? ' *' : ''
    const minimum = Math.min(...e.map((x) => x.test.accuracy))
    lines.push(
      `| ${method}${over} | ${runs.length} | ${cell(e.map((x) => x.test.accuracy), 100)} | ${cell(e.map((x) => x.testDeterministic.accuracy), 100)} | ${percent(minimum)} | ${cell(e.map((x) => x.test.nll), 1, 4)} | ${cell(e.map((x) => x.test.eceUncalibrated), 100)} -> ${cell(e.map((x) => x.test.ece), 100)} | ${cell(e.map((x) => x.testDeterministic.eceUncalibrated), 100)} -> ${cell(e.map((x) => x.testDeterministic.ece), 100)} | ${cell(e.map((x) => x.test.aurc), 1, 5)} | ${cell(runs.map((r) => mean(r.epochSeconds)), 1, 1)} | ${runs[0].trainingParameters} | ${runs[0].exportParameters} |`,
    )
  }
  for (const [title, pick] of [
    ['Served prediction (test): pbar at S = 32, T_cal', (x) => x.test],
    ['Deterministic prediction (test): softmax(z0 / T_cal)', (x) => x.testDeterministic],
  ]) {
    lines.push('', `## ${title}`, '', '| method | accuracy % | NLL (T_cal) | NLL (raw) | ECE % raw | ECE % after T_cal | Brier | AURC | E-AURC |', '|---|---|---|---|---|---|---|---|---|')
    for (const { method, runs } of byMethod) {
      const e = runs.map((r) => pick(r.evaluation))
      lines.push(
        `| ${method} | ${cell(e.map((x) => x.accuracy), 100)} | ${cell(e.map((x) => x.nll), 1, 4)} | ${cell(e.map((x) => x.nllUncalibrated), 1, 4)} | ${cell(e.map((x) => x.eceUncalibrated), 100)} | ${cell(e.map((x) => x.ece), 100)} | ${cell(e.map((x) => x.brier), 1, 4)} | ${cell(e.map((x) => x.aurc), 1, 5)} | ${cell(e.map((x) => x.eAurc), 1, 5)} |`,
      )
    }
  }
  lines.push('', '## T_cal', '', '| method | T_cal | at a bound |', '|---|---|---|')
  for (const { method, runs } of byMethod) {
    const c = runs.map((r) => r.evaluation.calibration)
    lines.push(`| ${method} | ${cell(c.map((x) => x.temperature), 1, 3)} | ${c.filter((x) => x.atBound !== null).length} of ${c.length} |`)
  }
  for (const set of oodSets) {
    lines.push('', `## OOD detection AUROC: test digits vs ${set} (S = 32, T_cal)`, '', `| method | ${scores.join(' | ')} |`, `|---|${scores.map(() => '---').join('|')}|`)
    for (const { method, runs } of byMethod) {
      lines.push(`| ${method} | ${scores.map((s) => cell(runs.map((r) => r.evaluation.ood[set]?.[s]?.auroc ?? Number.NaN), 1, 3)).join(' | ')} |`)
    }
  }
  lines.push('', '## Cost', '', '| method | s / epoch | training s (sum of epochs) | train command s (wall, incl. fit and test) | parameters at training | of which the method\'s own | parameters exported |', '|---|---|---|---|---|---|---|')
  for (const { method, runs } of byMethod) {
    lines.push(
      `| ${method} | ${cell(runs.map((r) => mean(r.epochSeconds)), 1, 1)} | ${cell(runs.map(trainSeconds), 1, 0)} | ${cell(runs.map((r) => r.trainSeconds), 1, 0)}${runs.some((r) => r.resumed) ? ' (some resumed: partial)' : ''} | ${runs[0].trainingParameters} | ${runs[0].methodParameters} | ${runs[0].exportParameters} |`,
    )
  }
  lines.push('', '## Runs remaining', '', missing.length === 0 ? 'None: every method has all its seeds.' : `${missing.length} of ${methods.length * seeds.length}: ${missing.join(', ')}. Resume with the same command (runs in \`${relative(root, values.scratch)}\` are reused).`)

  mkdirSync(dirname(outPath), { recursive: true })
  await writeText(`${outPath}.json`, `${JSON.stringify(results, null, 2)}\n`)
  const previous = existsSync(`${outPath}.md`) ? readFileSync(`${outPath}.md`, 'utf8') : ''
  const findings = previous.includes('\n## Findings') ? previous.slice(previous.indexOf('\n## Findings')) : '\n## Findings\n\n(to be written from the tables above)\n'
  await writeText(`${outPath}.md`, `${lines.join('\n')}\n${findings}`)
  if (print) console.log(lines.join('\n'))
}
