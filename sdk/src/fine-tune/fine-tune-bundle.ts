import type { DeploymentFit } from '../deployment/fit-deployment.js'
import type { JsonValue } from '../format/manifest.js'
import { toHex } from '../format/sha256.js'
import type { HeadKernelName } from '../kernels/head-kernel.js'
import type { BundleContents } from '../model/assemble-bundle.js'
import type { OodScoreName } from '../ood/score-name.js'
import type { ResolvedFineTuneOptions } from './fine-tune-options.js'
import type { FineTuneParent } from './fine-tune-parent.js'
import type { EpochRecord } from './train-head.js'

/** The tool name recorded in the provenance of fine-tuned bundles. */
export const FINE_TUNE_TOOL_VERSION = '@sd-dropout/sdk 0.1.0'

/** Everything a fine-tuning run produced, as the bundle records it. */
export interface FineTuneOutcome {
  readonly labelSet: readonly string[]
  readonly weight: Float32Array
  readonly bias: Float32Array
  readonly fit: DeploymentFit
  readonly history: readonly EpochRecord[]
  readonly split: { readonly train: number; readonly heldOut: number; readonly folds: number }
  readonly newClasses: readonly number[]
  readonly gradientKernel: HeadKernelName
  /** `fineTuneDataHash` of the inputs and labels, and how many items they were. */
  readonly dataSha256: string
  readonly items: number
}

/**
 * The contents of a fine-tuned bundle: the parent's input spec and backbone parts unchanged, the
 * new head (at the dropout rate it was trained with), the refitted calibration, OOD thresholds,
 * Mahalanobis statistics and selective threshold, the held-out metrics (`metrics['fine-tune-held-out']`),
 * and a provenance naming the parent (`parentId`), the data (size, SHA-256), every resolved option,
 * the history and the method `fine-tune+sd-dropout` (lambda > 0) or `fine-tune+ce`.
 * The default OOD score stays the parent's unless it cannot be fitted (no Mahalanobis statistics): then `energy`.
 *
 * @example
 * ```ts
 * const bytes = await writeBundle(assembleBundle(fineTuneBundleContents(parent, options, outcome)))
 * ```
 */
export function fineTuneBundleContents(parent: FineTuneParent, options: ResolvedFineTuneOptions, outcome: FineTuneOutcome): BundleContents {
  const m = parent.manifest
  const { fit } = outcome
  const createdAt = new Date().toISOString()
  const score: OodScoreName = fit.thresholds[m.ood.score] === undefined ? 'energy' : m.ood.score
  return {
    id: options.id ?? `${options.name}-${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${toHex(crypto.getRandomValues(new Uint8Array(4)))}`,
    name: options.name,
    createdAt,
    labels: outcome.labelSet,
    input: m.input,
    architecture: m.backbone.architecture,
    backbone: parent.backbone,
    head: { weight: outcome.weight, bias: outcome.bias, dropoutRate: options.dropoutRate },
    calibration: fit.calibration,
    ood: { score, thresholds: fit.thresholds, targetAcceptance: options.targetAcceptance, samples: m.ood.samples, seed: m.ood.seed },
    mahalanobis: fit.mahalanobis,
    selective: fit.selectiveSpec,
    metrics: { 'fine-tune-held-out': fit.metrics },
    provenance: {
      method: options.lambda > 0 ? 'fine-tune+sd-dropout' : 'fine-tune+ce',
      hyperParameters: hyperParameters(parent, options, outcome),
      seed: options.seed,
      data: { name: options.dataName, sha256: outcome.dataSha256, items: outcome.items },
      command: 'SdModel.fineTune',
      toolVersion: FINE_TUNE_TOOL_VERSION,
      backend: `sdk-${outcome.gradientKernel}`,
      parentId: m.id,
    },
  }
}

function hyperParameters(parent: FineTuneParent, options: ResolvedFineTuneOptions, outcome: FineTuneOutcome): Record<string, JsonValue> {
  const { signal: _signal, onProgress: _onProgress, id: _id, name: _name, dataName: _dataName, kernel: _kernel, classes, ...settings } = options
  return {
    ...settings,
    classes: classes.mode === 'keep' ? { mode: 'keep' } : { mode: classes.mode, labels: [...classes.labels] },
    gradientKernel: outcome.gradientKernel,
    parentSha256: parent.sha256,
    split: { train: outcome.split.train, heldOut: outcome.split.heldOut, folds: outcome.split.folds },
    newClasses: outcome.newClasses.map((c) => outcome.labelSet[c] as string),
    mahalanobis: outcome.fit.mahalanobisOmitted === null ? 'fitted on the training part' : `omitted: ${outcome.fit.mahalanobisOmitted.reason}`,
    deployment: { samples: parent.manifest.ood.samples, seed: parent.manifest.ood.seed, temperatureAtBound: outcome.fit.calibration.atBound },
    history: outcome.history.map((record) => ({ ...record })),
  }
}
