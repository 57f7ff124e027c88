import { OptionError } from '@sd-dropout/sdk'
import { crossEntropyMethod } from './ce/cross-entropy-method.js'
import { FRSKD_DEFAULTS, frskdMethod, type FrskdOptions } from './frskd/frskd-method.js'
import { LSSKD_DEFAULTS, lsskdMethod, type LsskdOptions } from './lsskd/lsskd-method.js'
import { PS_KD_DEFAULTS, psKdMethod, type PsKdOptions } from './ps-kd/ps-kd-method.js'
import { SD_DROPOUT_DEFAULTS, type SdDropoutOptions } from './sd-dropout/sd-dropout-loss.js'
import { withSdDropout } from './sd-dropout/with-sd-dropout.js'
import type { MethodSetup, TrainingMethod } from './training-method.js'

/** Options of the self-KD peers, each fully resolved (see {@link resolvePeerOptions}). */
export interface PeerOptions {
  readonly psKd: PsKdOptions
  readonly frskd: FrskdOptions
  readonly lsskd: LsskdOptions
}

/** The defaults of every peer: PS-KD and FRSKD official, LSSKD ours (docs/methods.md). */
export const PEER_DEFAULTS: PeerOptions = { psKd: PS_KD_DEFAULTS, frskd: FRSKD_DEFAULTS, lsskd: LSSKD_DEFAULTS }

/** What a base method is built from: the backbone's setup and the peers' options. */
type BaseFactory = (setup: MethodSetup | undefined, peers: PeerOptions) => TrainingMethod

/**
 * Base methods; each can be combined with `+sd-dropout`. `ce` is plain cross-entropy; `ps-kd`,
 * `frskd` and `lsskd` are the self-KD peers of DESIGN section 1 (docs/methods.md).
 */
export const BASE_METHODS = {
  ce: () => crossEntropyMethod(),
  'ps-kd': (setup, peers) => psKdMethod(peers.psKd, needSetup(setup, 'ps-kd').classes),
  frskd: (setup, peers) => frskdMethod(peers.frskd, needSetup(setup, 'frskd')),
  lsskd: (setup, peers) => lsskdMethod(peers.lsskd, needSetup(setup, 'lsskd')),
} as const satisfies Record<string, BaseFactory>

/** One of the base method names. */
export type BaseMethodName = keyof typeof BASE_METHODS

/** Every accepted `--method` value: each base, `sd-dropout`, and each `<base>+sd-dropout`. */
export const METHOD_NAMES: readonly string[] = (() => {
  const names = Object.keys(BASE_METHODS)
  return [...names, 'sd-dropout', ...names.map((name) => `${name}+sd-dropout`)]
})()

/** A parsed `--method` value. */
export interface MethodSpec {
  readonly base: BaseMethodName
  /** Whether the SD-Dropout term is added. */
  readonly sdDropout: boolean
}

/**
 * Parses `--method`: a base method (`ce`, `ps-kd`, `frskd`, `lsskd`), `sd-dropout`
 * (= `ce+sd-dropout`), or `<base>+sd-dropout`.
 *
 * @throws {OptionError} for anything else, listing the accepted values.
 * @example
 * ```ts
 * parseMethod('ps-kd+sd-dropout') // { base: 'ps-kd', sdDropout: true }
 * ```
 */
export function parseMethod(text: string): MethodSpec {
  const parts = text.split('+')
  const sdDropout = parts.includes('sd-dropout')
  const bases = parts.filter((part) => part !== 'sd-dropout')
  const base = bases.length === 0 ? 'ce' : bases[0]
  const duplicate = parts.filter((part) => part === 'sd-dropout').length > 1
  if (bases.length > 1 || duplicate || base === undefined || !Object.hasOwn(BASE_METHODS, base) || (sdDropout && parts[parts.length - 1] !== 'sd-dropout')) {
    throw new OptionError('--method', `unknown method "${text}"; use one of ${METHOD_NAMES.join(', ')}`)
  }
  return { base: base as BaseMethodName, sdDropout }
}

/**
 * The default SD-Dropout weight lambda: 1.0 when SD-Dropout is used alone (base `ce`), 0.1 when it
 * is added to another self-KD method, whose own loss keeps weight 1 (DESIGN section 1).
 *
 * @example
 * ```ts
 * defaultSdWeight({ base: 'frskd', sdDropout: true }) // 0.1
 * ```
 */
export function defaultSdWeight(spec: MethodSpec): number {
  return spec.base === 'ce' ? 1 : 0.1
}

/**
 * Fills every peer option not given with its default.
 *
 * @example
 * ```ts
 * resolvePeerOptions({ frskd: { width: 1 } }).frskd // { alpha: 2, beta: 100, temperature: 4, width: 1, depth: 2 }
 * ```
 */
export function resolvePeerOptions(given: { readonly [K in keyof PeerOptions]?: Partial<PeerOptions[K]> } = {}): PeerOptions {
  return {
    psKd: { ...PEER_DEFAULTS.psKd, ...given.psKd },
    frskd: { ...PEER_DEFAULTS.frskd, ...given.frskd },
    lsskd: { ...PEER_DEFAULTS.lsskd, ...given.lsskd },
  }
}

/**
 * Builds the method a spec names; `sd` overrides the SD-Dropout defaults (p 0.5, tau 3, lambda per
 * {@link defaultSdWeight}, no detach, K 2). The peers need the backbone's `setup` (stage shapes,
 * classes, a seed for their own variables).
 *
 * @throws {OptionError} for bad options, or a peer without a setup.
 * @example
 * ```ts
 * const method = createMethod(parseMethod('frskd+sd-dropout'), { rate: 0.2 }, PEER_DEFAULTS, setup)
 * ```
 */
export function createMethod(spec: MethodSpec, sd: Partial<SdDropoutOptions> = {}, peers: PeerOptions = PEER_DEFAULTS, setup?: MethodSetup): TrainingMethod {
  const factory: BaseFactory = BASE_METHODS[spec.base]
  const base = factory(setup, peers)
  if (!spec.sdDropout) return base
  return withSdDropout(base, { ...SD_DROPOUT_DEFAULTS, weight: defaultSdWeight(spec), ...sd })
}

function needSetup(setup: MethodSetup | undefined, name: string): MethodSetup {
  if (setup === undefined) throw new OptionError('--method', `${name} needs the backbone's setup (stage shapes, classes) to be built`)
  return setup
}
