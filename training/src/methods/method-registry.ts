import { OptionError } from '@sd-dropout/sdk'
import { crossEntropyMethod } from './ce/cross-entropy-method.js'
import { SD_DROPOUT_DEFAULTS, type SdDropoutOptions } from './sd-dropout/sd-dropout-loss.js'
import { withSdDropout } from './sd-dropout/with-sd-dropout.js'
import type { TrainingMethod } from './training-method.js'

/** Base methods (later: `ps-kd`, `frskd`, `lsskd`); each can be combined with `+sd-dropout`. */
export const BASE_METHODS = { ce: crossEntropyMethod } as const satisfies Record<string, () => TrainingMethod>

/** One of the base method names. */
export type BaseMethodName = keyof typeof BASE_METHODS

/** A parsed `--method` value. */
export interface MethodSpec {
  readonly base: BaseMethodName
  /** Whether the SD-Dropout term is added. */
  readonly sdDropout: boolean
}

/**
 * Parses `--method`: a base method (`ce`), `sd-dropout` (= `ce+sd-dropout`), or `<base>+sd-dropout`.
 *
 * @throws {OptionError} for anything else, listing the accepted values.
 * @example
 * ```ts
 * parseMethod('ce+sd-dropout') // { base: 'ce', sdDropout: true }
 * ```
 */
export function parseMethod(text: string): MethodSpec {
  const parts = text.split('+')
  const sdDropout = parts.includes('sd-dropout')
  const bases = parts.filter((part) => part !== 'sd-dropout')
  const base = bases.length === 0 ? 'ce' : bases[0]
  const duplicate = parts.filter((part) => part === 'sd-dropout').length > 1
  if (bases.length > 1 || duplicate || base === undefined || !(base in BASE_METHODS)) {
    const names = Object.keys(BASE_METHODS)
    throw new OptionError('--method', `unknown method "${text}"; use one of ${[...names, 'sd-dropout', ...names.map((n) => `${n}+sd-dropout`)].join(', ')}`)
  }
  return { base: base as BaseMethodName, sdDropout }
}

/**
 * The default SD-Dropout weight lambda: 1.0 when SD-Dropout is used alone (base `ce`), 0.1 when it
 * is added to another self-KD method (DESIGN section 1).
 *
 * @example
 * ```ts
 * defaultSdWeight({ base: 'ce', sdDropout: true }) // 1
 * ```
 */
export function defaultSdWeight(spec: MethodSpec): number {
  return spec.base === 'ce' ? 1 : 0.1
}

/**
 * Builds the method a spec names; `sd` overrides the SD-Dropout defaults (p 0.5, tau 3, lambda per
 * {@link defaultSdWeight}, no detach, K 2).
 *
 * @example
 * ```ts
 * const method = createMethod(parseMethod('sd-dropout'), { temperature: 1 })
 * ```
 */
export function createMethod(spec: MethodSpec, sd: Partial<SdDropoutOptions> = {}): TrainingMethod {
  const base = BASE_METHODS[spec.base]()
  if (!spec.sdDropout) return base
  return withSdDropout(base, { ...SD_DROPOUT_DEFAULTS, weight: defaultSdWeight(spec), ...sd })
}
