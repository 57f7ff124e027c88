// Runs every benchmark (`bench/<name>.bench.ts`, or those named on the command line), each in its
// own Node process, and writes bench/results/<name>.json plus bench/results/README.md.
// Usage: npm run bench [-- name ...]
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleTs, scratchDir } from '../scripts/run-ts.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const results = join(here, 'results')
mkdirSync(results, { recursive: true })
const wanted = process.argv.slice(2)
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => wanted.length === 0 || wanted.includes(basename(f, '.bench.ts')))
  .sort()
if (files.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ') || '(none found)'}`)
  process.exit(1)
}

const scratch = scratchDir('run')
const failures = []
try {
  for (const file of files) {
    const name = basename(file, '.bench.ts')
    const out = join(scratch, `${name}.mjs`)
    await bundleTs(join(here, file), out)
    const runner = join(scratch, `${name}.run.mjs`)
    const json = join(scratch, `${name}.json`)
    writeFileSync(runner, `import run from ${JSON.stringify(out)}\nimport { writeFileSync } from 'node:fs'\nconst report = await run()\nwriteFileSync(${JSON.stringify(json)}, JSON.stringify(report, null, 2))\n`)
    console.log(`\n# ${name}`)
    const started = Date.now()
    try {
      execFileSync(process.execPath, [runner], { stdio: 'inherit', cwd: join(here, '..') })
    } catch {
      failures.push(name)
      continue
    }
    const report = JSON.parse(readFileSync(json, 'utf8'))
    report.measuredAt = new Date().toISOString()
    report.seconds = Math.round((Date.now() - started) / 100) / 10
    report.machine = `${process.platform} ${process.arch}, node ${process.version}`
    writeFileSync(join(results, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`)
    console.log(markdown(name, report))
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

const sections = readdirSync(results)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => markdown(basename(f, '.json'), JSON.parse(readFileSync(join(results, f), 'utf8'))))
writeFileSync(join(results, 'README.md'), `# Benchmark results\n\nWritten by \`npm run bench\`; each table comes from one run of one process, so its ratios compare side by side.\n\n${sections.join('\n')}`)
if (failures.length > 0) {
  console.error(`\nbenchmarks failed: ${failures.join(', ')}`)
  process.exit(1)
}

function markdown(name, report) {
  const columns = report.rows.length > 0 ? Object.keys(report.rows[0]) : []
  const lines = [`## ${name}: ${report.title}`, '', `Measured ${report.measuredAt ?? ''} (${report.machine ?? ''}, ${report.seconds ?? '?'} s).`, '']
  if (columns.length > 0) {
    lines.push(`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`)
    for (const row of report.rows) lines.push(`| ${columns.map((c) => row[c]).join(' | ')} |`)
    lines.push('')
  }
  if (report.goals.length > 0) {
    lines.push('| goal | measured | target | met |', '|---|---|---|---|')
    for (const g of report.goals) lines.push(`| ${g.name} | ${g.value} | ${g.goal} | ${g.met ? 'yes' : 'NO'} |`)
    lines.push('')
  }
  for (const note of report.notes ?? []) lines.push(`- ${note}`)
  return `${lines.join('\n')}\n`
}
