import { readFileSync } from 'node:fs'
import { FormatError, InputError, OptionError } from '@sd-dropout/sdk'

/** How a flag's value is read. `list` takes comma-separated values and may repeat. */
export type OptionKind = 'string' | 'number' | 'integer' | 'boolean' | 'list'

/** One command-line flag: its name (kebab-case, without `--`), kind, help and validation. */
export interface OptionSpec {
  readonly name: string
  readonly kind: OptionKind
  readonly description: string
  readonly default?: string | number | boolean | readonly string[]
  /** Allowed values (for `string` and each item of `list`). */
  readonly choices?: readonly string[]
  /** Inclusive bounds for numbers. */
  readonly min?: number
  readonly max?: number
  /** Shown in help, e.g. `<file>`. */
  readonly placeholder?: string
}

/** Parsed flag values by name; defaults applied. */
export type OptionValues = Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>

/** Parsed flags, plus which ones the user set explicitly (on the command line or in `--config`). */
export interface ParsedOptions {
  readonly values: OptionValues
  readonly explicit: ReadonlySet<string>
}

/**
 * Parses `--name value`, `--name=value`, `--flag`, `--no-flag` and repeated list flags against a
 * command's specs; `--config <file.json>` supplies defaults (keys = flag names) that the command
 * line overrides. Every problem is an {@link OptionError} naming the flag, or an error naming the
 * config file.
 *
 * @param command the command name, for messages
 * @throws {OptionError} for an unknown flag, a missing or invalid value.
 * @throws {InputError} / {@link FormatError} for a missing or corrupt config file.
 * @example
 * ```ts
 * parseOptions('train', specs, ['--epochs', '3', '--augment=shift']).values.epochs // 3
 * ```
 */
export function parseOptions(command: string, specs: readonly OptionSpec[], argv: readonly string[]): ParsedOptions {
  const byName = new Map(specs.map((spec) => [spec.name, spec]))
  const fromArgs: Record<string, unknown> = {}
  const lists: Record<string, string[]> = {}
  let configPath: string | undefined
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--')) throw new OptionError(arg, `unexpected argument "${arg}"; every option of ${command} is a --flag (see sd-dropout ${command} --help)`)
    const equals = arg.indexOf('=')
    let name = equals >= 0 ? arg.slice(2, equals) : arg.slice(2)
    let inline: string | undefined = equals >= 0 ? arg.slice(equals + 1) : undefined
    if (name === 'config') {
      configPath = inline ?? argv[++i]
      if (configPath === undefined) throw new OptionError('--config', 'needs a file path')
      continue
    }
    let spec = byName.get(name)
    if (spec === undefined && name.startsWith('no-') && byName.get(name.slice(3))?.kind === 'boolean') {
      name = name.slice(3)
      spec = byName.get(name)
      if (inline !== undefined) throw new OptionError(`--no-${name}`, 'takes no value')
      inline = 'false'
    }
    if (spec === undefined) throw new OptionError(`--${name}`, `unknown option for ${command}${suggestion(name, specs)} (see sd-dropout ${command} --help)`)
    if (spec.kind === 'boolean') {
      fromArgs[name] = inline === undefined ? true : parseBoolean(spec, inline)
      continue
    }
    const value = inline ?? argv[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new OptionError(`--${name}`, `needs a value${spec.placeholder ? ` ${spec.placeholder}` : ''}`)
    if (spec.kind === 'list') (lists[name] ??= []).push(...splitList(value))
    else fromArgs[name] = value
  }
  Object.assign(fromArgs, lists)
  const fromConfig = configPath === undefined ? {} : readConfig(configPath, byName)
  const values: Record<string, string | number | boolean | readonly string[] | undefined> = {}
  const explicit = new Set<string>()
  for (const spec of specs) {
    const raw = spec.name in fromArgs ? fromArgs[spec.name] : fromConfig[spec.name]
    if (raw !== undefined) explicit.add(spec.name)
    values[spec.name] = raw === undefined ? spec.default : coerce(spec, raw, spec.name in fromArgs ? undefined : configPath)
  }
  return { values, explicit }
}

function readConfig(path: string, byName: ReadonlyMap<string, OptionSpec>): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputError(code === 'ENOENT' ? `config file not found: ${path}` : `cannot read config file ${path}: ${(error as Error).message}`, { path })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new FormatError(path, `not valid JSON: ${(error as Error).message}`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FormatError(path, 'must hold one JSON object whose keys are option names (e.g. { "epochs": 10 })')
  for (const key of Object.keys(json)) {
    if (!byName.has(key)) throw new FormatError(path, `unknown key "${key}" (keys are option names without --, e.g. "batch-size")`)
  }
  return json as Record<string, unknown>
}

function coerce(spec: OptionSpec, raw: unknown, configPath: string | undefined): string | number | boolean | readonly string[] {
  const where = configPath === undefined ? `--${spec.name}` : `--${spec.name} (in ${configPath})`
  switch (spec.kind) {
    case 'boolean':
      if (typeof raw === 'boolean') return raw
      if (typeof raw === 'string') return parseBoolean(spec, raw)
      throw new OptionError(where, `must be true or false, got ${JSON.stringify(raw)}`)
    case 'number':
    case 'integer': {
      const value = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN
      if (!Number.isFinite(value)) throw new OptionError(where, `must be a number, got ${JSON.stringify(raw)}`)
      if (spec.kind === 'integer' && !Number.isInteger(value)) throw new OptionError(where, `must be an integer, got ${JSON.stringify(raw)}`)
      if (spec.min !== undefined && value < spec.min) throw new OptionError(where, `must be >= ${spec.min}, got ${value}`)
      if (spec.max !== undefined && value > spec.max) throw new OptionError(where, `must be <= ${spec.max}, got ${value}`)
      return value
    }
    case 'string':
      if (typeof raw !== 'string' || raw === '') throw new OptionError(where, `must be a non-empty string, got ${JSON.stringify(raw)}`)
      checkChoice(spec, raw, where)
      return raw
    case 'list': {
      const items = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? splitList(raw) : typeof raw === 'number' ? [String(raw)] : null
      if (items === null) throw new OptionError(where, `must be a comma-separated list, got ${JSON.stringify(raw)}`)
      for (const item of items) checkChoice(spec, item, where)
      return items
    }
  }
}

function checkChoice(spec: OptionSpec, value: string, where: string): void {
  if (spec.choices !== undefined && !spec.choices.includes(value)) throw new OptionError(where, `must be one of ${spec.choices.join(', ')}; got "${value}"`)
}

function parseBoolean(spec: OptionSpec, value: string): boolean {
  if (value === 'true') return true
  if (value === 'false') return false
  throw new OptionError(`--${spec.name}`, `must be true or false, got "${value}"`)
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function suggestion(name: string, specs: readonly OptionSpec[]): string {
  const close = specs.find((spec) => spec.name.startsWith(name) || name.startsWith(spec.name) || distance(spec.name, name) <= 2)
  return close === undefined ? '' : ` (did you mean --${close.name}?)`
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number
      row[j] = Math.min((row[j] as number) + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length] as number
}

/**
 * The `--help` text of a command: usage, summary and every flag with its default and choices.
 *
 * @example
 * ```ts
 * console.log(formatHelp('train', 'Train a classifier...', specs))
 * ```
 */
export function formatHelp(command: string, summary: string, specs: readonly OptionSpec[]): string {
  const lines = [`Usage: sd-dropout ${command} [options]`, '', summary, '', 'Options:']
  const all: OptionSpec[] = [...specs, { name: 'config', kind: 'string', placeholder: '<file.json>', description: 'read options from a JSON object whose keys are option names; the command line overrides it' }]
  all.push({ name: 'help', kind: 'boolean', description: 'show this help' })
  for (const spec of all) {
    const flag = `--${spec.name}${spec.kind === 'boolean' ? '' : ` ${spec.placeholder ?? `<${spec.kind === 'list' ? 'a,b,...' : spec.kind}>`}`}`
    const extras = [
      spec.choices !== undefined ? `one of: ${spec.choices.join(', ')}` : '',
      spec.default !== undefined ? `default: ${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)}` : '',
    ].filter((text) => text !== '')
    lines.push(`  ${flag.padEnd(34)} ${spec.description}${extras.length > 0 ? ` (${extras.join('; ')})` : ''}`)
  }
  return lines.join('\n')
}
