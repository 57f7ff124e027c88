import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const scratch = mkdtempSync(join(tmpdir(), 'sd-dropout-pack-'))
const npm = (args: string[], cwd: string): string => execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })

/** The first ```js block after the quick-start marker in docs/sdk.md. */
function quickStartExample(): string {
  const doc = readFileSync(join(root, 'docs/sdk.md'), 'utf8')
  const marker = doc.indexOf('<!-- example: quick-start')
  const match = /```js\n([\s\S]*?)```/.exec(doc.slice(marker))
  if (marker < 0 || match?.[1] === undefined) throw new Error('docs/sdk.md has no quick-start example')
  return match[1]
}

describe('the packed SDK outside the workspace', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('installs from its npm pack tarball (offline, from the npm cache) and runs the docs/sdk.md example', () => {
    const tarball = npm(['pack', '--pack-destination', scratch, '--silent'], join(root, 'sdk')).trim().split('\n').pop() as string
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }))
    npm(['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', `./${tarball}`], scratch)
    mkdirSync(join(scratch, 'models/mnist-sd-dropout'), { recursive: true })
    copyFileSync(join(root, 'models/mnist-sd-dropout/model.sdd'), join(scratch, 'models/mnist-sd-dropout/model.sdd'))
    writeFileSync(join(scratch, 'example.mjs'), quickStartExample())

    const output = execFileSync(process.execPath, ['example.mjs'], { cwd: scratch, encoding: 'utf8' }).trim().split('\n')
    expect(output[0]).toMatch(/^mnist-sd-dropout\S* 10 classes, wasm-simd \+ wasm-simd$/)
    const result = JSON.parse(output[1] as string) as { label: string; confidence: number; ood: { method: string; score: number; threshold: number; isOutOfDistribution: boolean } }
    expect(result.label).toMatch(/^[0-9]$/)
    expect(result.confidence).toBeGreaterThan(0.1)
    expect(result.confidence).toBeLessThanOrEqual(1)
    expect(Number.isFinite(result.ood.score)).toBe(true)
    expect(result.ood.isOutOfDistribution).toBe(result.ood.score > result.ood.threshold)
  }, 120_000)
})
