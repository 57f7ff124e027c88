import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '../..')
const scratch = mkdtempSync(join(tmpdir(), 'sd-dropout-pack-'))
/** npm offline (every command, npm pack included) and without the update notifier's registry request. */
const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, npm_config_update_notifier: 'false', npm_config_offline: 'true' } })

/** The first ```js block after the quick-start marker in docs/sdk.md. */
function quickStartExample(): string {
  const doc = readFileSync(join(root, 'docs/sdk.md'), 'utf8')
  const marker = doc.indexOf('<!-- example: quick-start')
  const match = /```js\n([\s\S]*?)```/.exec(doc.slice(marker))
  if (marker < 0 || match?.[1] === undefined) throw new Error('docs/sdk.md has no quick-start example')
  return match[1]
}

interface LockEntry {
  readonly link?: boolean
  readonly dependencies?: Record<string, string>
  readonly optionalDependencies?: Record<string, string>
  readonly peerDependencies?: Record<string, string>
  readonly peerDependenciesMeta?: Record<string, { readonly optional?: boolean }>
  readonly [field: string]: unknown
}

/**
 * A lockfile for a project whose one dependency is the packed SDK tarball: the tarball's entry
 * (with its SHA-512) plus every package the SDK needs, transitively, copied from the repository's
 * package-lock.json (same versions and integrity). With it `npm ci --offline` installs from the
 * tarballs `npm ci` put in the npm cache; a plain `npm install <tarball>` would need the registry's
 * package documents, which `npm ci` does not cache, so it fails offline on a fresh machine.
 */
function lockfileFor(tarballPath: string, spec: string): object {
  const lock = (JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> }).packages
  const sdk = JSON.parse(readFileSync(join(root, 'sdk/package.json'), 'utf8')) as { version: string; license: string; dependencies: Record<string, string> }
  /** Node's lookup in the lock: `<from>/node_modules/<name>`, then in each enclosing package, then the root. */
  const locate = (from: string, name: string): string | null => {
    for (let dir = from; ; ) {
      const key = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`
      if (lock[key]?.link === true) throw new Error(`${name}, needed by ${from}, is a workspace link in package-lock.json: the packed SDK cannot depend on a workspace package`)
      if (lock[key] !== undefined) return key
      if (dir === '') return null
      const parent = dir.lastIndexOf('/node_modules/')
      dir = parent < 0 ? '' : dir.slice(0, parent)
    }
  }
  const packages: Record<string, object> = {}
  const visit = (from: string, names: readonly string[], optional: ReadonlySet<string>): void => {
    for (const name of names) {
      const key = locate(from, name)
      if (key === null && optional.has(name)) continue
      if (key === null) throw new Error(`${name}, needed by ${from}, is not in package-lock.json`)
      // the workspace's own nested packages sit under the installed SDK in the scratch project
      const target = key.startsWith('sdk/') ? `node_modules/@sd-dropout/sdk/${key.slice('sdk/'.length)}` : key
      if (packages[target] !== undefined) continue
      // dev / devOptional / peer describe the workspace's install, not the scratch project's; a
      // devOptional package (optional in one place, dev in another) stays optional
      const source = lock[key] as LockEntry
      const entry = { ...Object.fromEntries(Object.entries(source).filter(([field]) => !['dev', 'devOptional', 'peer'].includes(field))), ...(source['devOptional'] === true ? { optional: true } : {}) } as LockEntry
      packages[target] = entry
      const optionalPeers = new Set(Object.entries(entry.peerDependenciesMeta ?? {}).flatMap(([peerName, meta]) => (meta.optional === true ? [peerName] : [])))
      const optionalDependencies = Object.keys(entry.optionalDependencies ?? {})
      visit(key, [...Object.keys(entry.dependencies ?? {}), ...optionalDependencies, ...Object.keys(entry.peerDependencies ?? {}).filter((peerName) => !optionalPeers.has(peerName))], new Set(optionalDependencies))
    }
  }
  visit('sdk', Object.keys(sdk.dependencies), new Set())
  const integrity = `sha512-${createHash('sha512').update(readFileSync(tarballPath)).digest('base64')}`
  return {
    name: 'scratch',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'scratch', dependencies: { '@sd-dropout/sdk': spec } },
      'node_modules/@sd-dropout/sdk': { version: sdk.version, resolved: spec, integrity, license: sdk.license, dependencies: sdk.dependencies },
      ...packages,
    },
  }
}

describe('the packed SDK outside the workspace', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))

  it('installs from its npm pack tarball (offline, from the npm cache) and runs the docs/sdk.md example', () => {
    const tarball = npm(['pack', '--pack-destination', scratch, '--silent'], join(root, 'sdk')).trim().split('\n').pop() as string
    const spec = `file:${tarball}`
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module', dependencies: { '@sd-dropout/sdk': spec } }))
    writeFileSync(join(scratch, 'package-lock.json'), JSON.stringify(lockfileFor(join(scratch, tarball), spec), null, 2))
    npm(['ci', '--no-audit', '--no-fund'], scratch)
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
