import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { FormatError, InputError, OptionError } from '@sd-dropout/sdk'
import { formatHelp, parseOptions, type OptionSpec } from './option-spec.js'

const specs: readonly OptionSpec[] = [
  { name: 'epochs', kind: 'integer', min: 1, default: 5, description: 'epochs' },
  { name: 'lr', kind: 'number', min: 0, default: 0.1, description: 'rate' },
  { name: 'augment', kind: 'string', choices: ['none', 'shift'], default: 'none', description: 'aug' },
  { name: 'detach', kind: 'boolean', default: false, description: 'detach' },
  { name: 'ood-images', kind: 'list', description: 'files' },
]
const dir = mkdtempSync(join(tmpdir(), 'sdd-options-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('parseOptions', () => {
  it('reads every flag form, applies defaults and records what was explicit', () => {
    const { values, explicit } = parseOptions('train', specs, ['--epochs', '3', '--lr=0.5', '--detach', '--ood-images', 'a,b', '--ood-images=c'])
    expect(values).toStrictEqual({ epochs: 3, lr: 0.5, augment: 'none', detach: true, 'ood-images': ['a', 'b', 'c'] })
    expect([...explicit].sort()).toStrictEqual(['detach', 'epochs', 'lr', 'ood-images'])
    expect(parseOptions('train', specs, ['--no-detach']).values.detach).toBe(false)
  })

  it('takes defaults from --config and lets the command line override them', () => {
    const config = join(dir, 'config.json')
    writeFileSync(config, JSON.stringify({ epochs: 7, augment: 'shift', 'ood-images': ['x'] }))
    const { values, explicit } = parseOptions('train', specs, ['--config', config, '--epochs', '2'])
    expect(values).toMatchObject({ epochs: 2, augment: 'shift', 'ood-images': ['x'] })
    expect(explicit.has('augment')).toBe(true)
  })

  it.each([
    [['--epoch', '3'], /option --epoch: unknown option for train \(did you mean --epochs\?\)/],
    [['--epochs', 'abc'], /option --epochs: must be a number, got "abc"/],
    [['--epochs', '1.5'], /must be an integer/],
    [['--epochs', '0'], /must be >= 1, got 0/],
    [['--augment', 'flip'], /must be one of none, shift; got "flip"/],
    [['--lr'], /option --lr: needs a value/],
    [['--lr', '--epochs', '2'], /option --lr: needs a value/],
    [['model.sdd'], /unexpected argument "model.sdd"/],
    [['--detach=yes'], /must be true or false/],
  ])('rejects %j with an OptionError', (argv, message) => {
    expect(() => parseOptions('train', specs, argv)).toThrow(OptionError)
    expect(() => parseOptions('train', specs, argv)).toThrow(message)
  })

  it('names the config file in its errors', () => {
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{ "epochs": ')
    expect(() => parseOptions('train', specs, ['--config', bad])).toThrow(FormatError)
    expect(() => parseOptions('train', specs, ['--config', bad])).toThrow(/bad\.json: not valid JSON/)
    const unknown = join(dir, 'unknown.json')
    writeFileSync(unknown, '{ "epoch": 3 }')
    expect(() => parseOptions('train', specs, ['--config', unknown])).toThrow(/unknown key "epoch"/)
    const wrong = join(dir, 'wrong.json')
    writeFileSync(wrong, '{ "epochs": "many" }')
    expect(() => parseOptions('train', specs, ['--config', wrong])).toThrow(/--epochs \(in .*wrong\.json\): must be a number/)
    expect(() => parseOptions('train', specs, ['--config', join(dir, 'none.json')])).toThrow(InputError)
  })

  it('documents every flag with its default and choices in --help', () => {
    const help = formatHelp('train', 'Train.', specs)
    expect(help).toContain('Usage: sd-dropout train [options]')
    expect(help).toMatch(/--augment <string> +aug \(one of: none, shift; default: none\)/)
    expect(help).toContain('--config <file.json>')
  })
})
