import { OptionError } from '../errors.js'
import { typescriptOnlyGradientKernel, type HeadGradientKernelPreference } from '../fine-tune/head-gradient-kernel-provider.js'
import type { HeadGradientKernel } from '../fine-tune/head-gradient-kernel.js'
import type { JsonValue } from '../format/manifest.js'
import { readBundle } from '../format/read-bundle.js'
import { DEFAULT_MAX_PIXELS } from '../image/raw-image.js'
import type { HeadKernel, HeadKernelName } from '../kernels/head-kernel.js'
import { mahalanobisStatistics } from '../ood/mahalanobis/mahalanobis-statistics.js'
import { loadBackbone } from './backbone.js'
import { modelInfo } from './model-info.js'
import { SdModel } from './sd-model.js'

/** Options of `loadModel`. */
export interface LoadModelOptions {
  /** Ed25519 public key (base64 raw 32 bytes, or a CryptoKey): the bundle must carry a valid signature under it. */
  readonly publicKey?: CryptoKey | string
  /** With a key: refuse unsigned bundles (default true). */
  readonly requireSignature?: boolean
  /** Most items per `predict` call (default 1024). */
  readonly maxBatch?: number
  /** Most decoded pixels per input image (default 4 Mi). */
  readonly maxPixels?: number
  /** Head kernel: `auto` (wasm SIMD when available, else TypeScript; default), or force one. */
  readonly kernel?: 'auto' | HeadKernelName
  /** Backbone backend: `wasm` (tfjs-backend-wasm, SIMD when available; default) or `current` (whatever tfjs backend is active, e.g. the trainer's). */
  readonly backbone?: 'wasm' | 'current'
}

/** Where a bundle comes from: bytes, a fetch `Response`, or (per runtime) a path or URL. */
export type BundleSource = Uint8Array | ArrayBuffer | Response | URL | string

/** What each runtime (Node, browser, Workers) supplies to the one loading path. */
export interface ModelPlatform {
  /** Reads a bundle source into bytes. */
  readSource(source: BundleSource): Promise<Uint8Array>
  /** Makes the backbone backend ready; returns its runtime name (`wasm-simd`, `wasm`, ...). */
  initBackbone(preference: 'wasm' | 'current'): Promise<string>
  /** The head kernel for a preference (a process-wide singleton for wasm). */
  headKernel(preference: 'auto' | HeadKernelName): Promise<HeadKernel>
  /**
   * The head-gradient kernel of fine-tuning for a preference, called on the first `fineTune` (a
   * process-wide singleton for wasm; see `headGradientKernelProvider`). Optional: without it,
   * fine-tuning runs the TypeScript reference (and refuses `kernel: 'wasm-simd'`).
   */
  headGradientKernel?(preference: HeadGradientKernelPreference): Promise<HeadGradientKernel>
}

const KNOWN = new Set(['publicKey', 'requireSignature', 'maxBatch', 'maxPixels', 'kernel', 'backbone'])

/**
 * Loads a bundle on a platform: verifies it (hashes, schema, signature when a key is given),
 * rebuilds the backbone on tfjs, copies the head into the kernel and returns an {@link SdModel}.
 * The runtime entries (`@sd-dropout/sdk` in Node, browsers and Workers) wrap this as `loadModel`.
 *
 * @throws {FormatError} / {IntegrityError} / {SignatureError} for a bad bundle, {OptionError} for bad options, {KernelError} when a kernel cannot start.
 * @example
 * ```ts
 * const model = await loadModelOn(nodePlatform, 'models/mnist-sd-dropout/model.sdd')
 * ```
 */
export async function loadModelOn(platform: ModelPlatform, source: BundleSource, options: LoadModelOptions = {}): Promise<SdModel> {
  for (const key of Object.keys(options)) if (!KNOWN.has(key)) throw new OptionError(key, `unknown option (known: ${[...KNOWN].join(', ')})`)
  const maxBatch = positiveInteger('maxBatch', options.maxBatch ?? 1024)
  const maxPixels = positiveInteger('maxPixels', options.maxPixels ?? DEFAULT_MAX_PIXELS)
  const kernelPreference = options.kernel ?? 'auto'
  if (!['auto', 'wasm-simd', 'typescript'].includes(kernelPreference)) throw new OptionError('kernel', `must be auto, wasm-simd or typescript, got ${String(kernelPreference)}`)
  const backbonePreference = options.backbone ?? 'wasm'
  if (!['wasm', 'current'].includes(backbonePreference)) throw new OptionError('backbone', `must be wasm or current, got ${String(backbonePreference)}`)

  const bytes = await platform.readSource(source)
  const bundle = await readBundle(bytes, {
    ...(options.publicKey === undefined ? {} : { publicKey: options.publicKey }),
    ...(options.requireSignature === undefined ? {} : { requireSignature: options.requireSignature }),
  })
  const [backboneName, kernel] = await Promise.all([platform.initBackbone(backbonePreference), platform.headKernel(kernelPreference)])
  const info = modelInfo(bundle)
  const m = bundle.manifest
  const backbone = await loadBackbone(bundle)
  const head = kernel.prepare({ weight: bundle.float32(m.head.weightPart), bias: bundle.float32(m.head.biasPart), featureDim: m.head.inputDim, classes: m.head.classes })
  const stats = m.ood.mahalanobis
  const mahalanobis =
    stats === null
      ? null
      : mahalanobisStatistics(bundle.float32(stats.meansPart), bundle.float32(stats.precisionPart), m.head.inputDim, m.head.classes, stats.shrinkage, stats.fittedOn)
  // kept for fine-tuning (copies: the caller may reuse the bytes it passed)
  const parent = {
    manifest: m,
    sha256: bundle.sha256,
    backbone: { topology: bundle.json(m.backbone.topologyPart) as JsonValue, weightSpecs: m.backbone.weightSpecs, weights: bundle.bytes(m.backbone.weightsPart).slice() },
    headWeight: bundle.float32(m.head.weightPart).slice(),
    headBias: bundle.float32(m.head.biasPart).slice(),
  }
  const gradientKernel = platform.headGradientKernel === undefined ? typescriptOnlyGradientKernel : platform.headGradientKernel.bind(platform)
  return new SdModel({
    info,
    runtime: { backbone: backboneName, head: kernel.name, headMemoryBytes: () => kernel.memoryBytes() },
    backbone,
    head,
    mahalanobis,
    limits: { maxBatch, maxPixels },
    parent,
    headKernel: kernel,
    gradientKernel,
  })
}

function positiveInteger(option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new OptionError(option, `must be an integer >= 1, got ${String(value)}`)
  return value
}
