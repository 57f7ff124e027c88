// CE vs SD-Dropout on the built-in MNIST split: 3 seeds x {CE, SD-Dropout at a few distillation
// temperatures}, every run with the same budget (model, epochs, optimiser, schedule, augmentation).
// Each run is `sd-dropout train` followed by `sd-dropout evaluate --json` (metrics recomputed from
// data); raw results go to docs/results/sd-dropout.json and the table to docs/results/sd-dropout.md.
//
// Usage: npm run build && node scripts/sd-dropout-experiment.mjs [--epochs 10] [--seeds 0,1,2] [--arms tau:lambda:p,...] [--shard i/n]
// (default arms: CE plus SD-Dropout at tau 1 and 3 with lambda 1 and 0.1 at p = 0.5, and tau 1, lambda 0.1 at p = 0.2)
// Runs whose evaluation already exists in the scratch folder are reused (the script can be resumed); a
// run whose bundle exists but whose evaluation does not is only re-evaluated (delete the .json files
// after changing `evaluate`); a run stopped during training continues from its checkpoint.
// `--shard i/n` runs every n-th run only (start n processes, one per core) and writes the tables only
// once every run of the experiment has its evaluation. The machinery is scripts/experiment-runs.mjs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { cell, ensureRun, mean, parseShard, root, runTag } from './experiment-runs.mjs'

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '10' },
    seeds: { type: 'string', default: '0,1,2' },
    arms: { type: 'string', default: '1:1:0.5,3:1:0.5,1:0.1:0.5,3:0.1:0.5,1:0.1:0.2' },
    scratch: { type: 'string', default: join(tmpdir(), 'sd-dropout-experiment') },
    shard: { type: 'string', default: '0/1' },
  },
})
const shard = parseShard(values.shard)
const epochs = Number(values.epochs)
const seeds = values.seeds.split(',').map(Number)
const sdArms = values.arms.split(',').map((arm) => arm.split(':').map(Number))
const common = ['--model', 'cnn', '--epochs', String(epochs), '--optimizer', 'adam', '--lr', '0.01', '--schedule', 'cosine', '--augment', 'shift', '--batch-size', '128']
const arms = [
  { name: 'CE', args: ['--method', 'ce'] },
  ...sdArms.map(([t, w, p]) => ({
    name: `SD-Dropout tau=${t} lambda=${w}${p === 0.5 ? '' : ` p=${p}`}`,
    args: ['--method', 'sd-dropout', '--sd-temperature', String(t), '--sd-weight', String(w), '--sd-rate', String(p)],
  })),
]
const results = []
let run = 0
let missing = 0
for (const arm of arms) {
  for (const seed of seeds) {
    const record = await ensureRun({
      scratch: values.scratch,
      tag: runTag(arm.name, seed, `e${epochs}`),
      mine: run++ % shard.count === shard.index,
      trainArgs: [...common, ...arm.args, '--seed', String(seed)],
      meta: { arm: arm.name, seed },
    })
    if (record === null) missing++
    else results.push({ ...record, arm: arm.name })
  }
}
if (missing > 0) {
  console.error(`# ${missing} runs of other shards have no evaluation yet: run the script again (without --shard) when they are done`)
  process.exit(0)
}

const byArm = arms.map((arm) => ({ arm: arm.name, runs: results.filter((r) => r.arm === arm.name) }))
const oodSets = Object.keys(results[0]?.evaluation.ood ?? {})
const scores = ['msp', 'max-logit', 'energy', 'entropy', 'mc-entropy', 'mutual-information', 'mahalanobis']

const lines = [
  '# CE vs SD-Dropout on MNIST (built-in split)',
  '',
  `Written by \`scripts/sd-dropout-experiment.mjs\` on ${new Date().toISOString().slice(0, 10)}. Every arm: \`sd-dropout train ${common.join(' ')}\``,
  `(small CNN: conv16-pool-conv32/BN-pool-conv64/BN, global average pooling, D = 64), seeds ${seeds.join(', ')}, training on the 7,000-digit split,`,
  'T_cal, thresholds and the selective threshold fitted on the 1,000 validation digits, metrics recomputed by `sd-dropout evaluate --json` on the 2,000 test digits',
  '(the bundle run through the SDK: `loadModel`, `features`, `head`, `predict`).',
  'SD-Dropout: K = 2, no detach (official defaults), p = 0.5 (official) unless listed, tau and lambda as listed (official: tau = 3, lambda = 1 alone). The bundle\'s MC-dropout rate is the same p. Values: mean ± sd over seeds; accuracy, ECE in %.',
  '**Served** = what `predict` returns by default: pbar, the mean of S = 32 MC-dropout samples (mask seed 0) at T_cal; T_cal is fitted on the validation NLL of that same pbar.',
  '**Deterministic** = softmax(z0 / T_cal), no dropout (`samples: 0`), with the same T_cal. "raw" = the same distribution at T = 1.',
  'OOD scores at S = 32, mask seed 0 and T_cal, as the SDK computes them. OOD sets are made offline from the test digits (see docs/cli.md).',
  '',
  '## Served prediction (test, 2,000 digits): what the SDK returns by default',
  '',
  '| arm | accuracy % | NLL (T_cal) | NLL (raw) | ECE % raw | ECE % after T_cal | T_cal | AURC | train s |',
  '|---|---|---|---|---|---|---|---|---|',
]
for (const { arm, runs } of byArm) {
  const e = runs.map((r) => r.evaluation)
  lines.push(
    `| ${arm} | ${cell(e.map((x) => x.test.accuracy), 100)} | ${cell(e.map((x) => x.test.nll), 1, 4)} | ${cell(e.map((x) => x.test.nllUncalibrated), 1, 4)} | ${cell(e.map((x) => x.test.eceUncalibrated), 100)} | ${cell(e.map((x) => x.test.ece), 100)} | ${cell(e.map((x) => x.calibration.temperature), 1, 3)} | ${cell(e.map((x) => x.test.aurc), 1, 5)} | ${cell(runs.map((r) => r.trainSeconds), 1, 0)} |`,
  )
}
lines.push(
  '',
  '## Deterministic prediction (test, S = 0, same T_cal)',
  '',
  '| arm | accuracy % | NLL (T_cal) | NLL (raw) | ECE % raw | ECE % after T_cal | AURC |',
  '|---|---|---|---|---|---|---|',
)
for (const { arm, runs } of byArm) {
  const e = runs.map((r) => r.evaluation.testDeterministic)
  lines.push(
    `| ${arm} | ${cell(e.map((x) => x.accuracy), 100)} | ${cell(e.map((x) => x.nll), 1, 4)} | ${cell(e.map((x) => x.nllUncalibrated), 1, 4)} | ${cell(e.map((x) => x.eceUncalibrated), 100)} | ${cell(e.map((x) => x.ece), 100)} | ${cell(e.map((x) => x.aurc), 1, 5)} |`,
  )
}
for (const set of oodSets) {
  lines.push('', `## OOD detection AUROC: test digits vs ${set}`, '', `| arm | ${scores.join(' | ')} |`, `|---|${scores.map(() => '---').join('|')}|`)
  for (const { arm, runs } of byArm) {
    lines.push(`| ${arm} | ${scores.map((s) => cell(runs.map((r) => r.evaluation.ood[set][s]?.auroc ?? Number.NaN), 1, 3)).join(' | ')} |`)
  }
}
lines.push('', '## FPR at 95% in-distribution acceptance (lower is better), averaged over the OOD sets', '', `| arm | ${scores.join(' | ')} |`, `|---|${scores.map(() => '---').join('|')}|`)
for (const { arm, runs } of byArm) {
  lines.push(`| ${arm} | ${scores.map((s) => cell(runs.map((r) => mean(oodSets.map((set) => r.evaluation.ood[set][s]?.fpr95 ?? Number.NaN))), 1, 3)).join(' | ')} |`)
}
mkdirSync(join(root, 'docs/results'), { recursive: true })
writeFileSync(join(root, 'docs/results/sd-dropout.json'), `${JSON.stringify(results, null, 2)}\n`)
const markdown = join(root, 'docs/results/sd-dropout.md')
const previous = existsSync(markdown) ? readFileSync(markdown, 'utf8') : ''
const findings = previous.includes('\n## Findings') ? previous.slice(previous.indexOf('\n## Findings')) : '\n## Findings\n\n(to be written from the tables above)\n'
writeFileSync(markdown, `${lines.join('\n')}\n${findings}`)
console.log(lines.join('\n'))
