import { fitDeployment, serializeBackbone, type BundleContents, type DeploymentFit, type InputSpec, type JsonValue, type OodScoreName, type Provenance } from '@sd-dropout/sdk'
import type { Dataset } from '../data/dataset.js'
import { servingHeadKernel } from '../export/serving-head-kernel.js'
import { forwardFeatures } from '../models/forward-features.js'
import type { SplitClassifier } from './split-classifier.js'

/** Everything an imported bundle needs besides the model: labels, input spec, the user's data and the deployment settings. */
export interface ImportSettings {
  readonly name: string
  /** Class names, one per column of the classifier (C). */
  readonly labels: readonly string[]
  /** The bundle's input spec (how the SDK turns images into the model's inputs). */
  readonly input: InputSpec
  /** Labelled data in the model's input space: Mahalanobis statistics on `train`; T_cal, thresholds and held-out metrics on `heldOut`. */
  readonly train: Dataset
  readonly heldOut: Dataset
  /** p of the MC-dropout in front of the head (0: the deterministic head; MC scores are then constant). */
  readonly dropoutRate: number
  /** S and mask seed the SDK serves with (thresholds and T_cal are fitted there). */
  readonly samples: number
  readonly seed: number
  readonly targetAcceptance: number
  readonly targetRisk: number
  /** The default OOD score; `mahalanobis` falls back to `energy` when a class has no training items. */
  readonly oodScore: OodScoreName
  /** Provenance: where the model came from and what made the bundle. */
  readonly provenance: Omit<Provenance, 'method' | 'hyperParameters' | 'seed' | 'parentId'> & { readonly hyperParameters: Readonly<Record<string, JsonValue>> }
}

/** An imported model ready to write: the bundle contents and the fit behind them. */
export interface ImportedModel {
  readonly contents: BundleContents
  readonly fit: DeploymentFit
  /** The default OOD score actually used (see {@link ImportSettings.oodScore}). */
  readonly oodScore: OodScoreName
}

/**
 * Turns a classifier trained elsewhere into an sd-dropout bundle: the backbone runs (inference
 * mode) over the user's data to give pooled features h; the SDK's one feature-level fit,
 * `fitDeployment`, fits the Mahalanobis statistics on the training features, T_cal on the held-out
 * MC mean at S and seed, every OOD threshold and the selective threshold, on the head kernel the
 * bundle is served with; the backbone is serialised by the SDK (`serializeBackbone`). The head is
 * the classifier's own kernel and bias: before calibration the bundle's logits are the model's.
 * Metrics: `validation` and `validation-deterministic` (the fit's held-out metrics); provenance
 * records method `imported` and the source.
 *
 * @throws the errors of `fitDeployment` (e.g. empty splits).
 * @example
 * ```ts
 * const { contents } = await importModel(splitClassifier(model, 'model.json'), settings)
 * await exportBundle('imported.sdd', contents)
 * ```
 */
export async function importModel(classifier: SplitClassifier, settings: ImportSettings): Promise<ImportedModel> {
  const { backbone, head } = classifier
  const features = (data: Dataset) => forwardFeatures(backbone, data.images, data.count, data.itemShape)
  const fit = fitDeployment({
    head: { ...head, dropoutRate: settings.dropoutRate },
    train: { features: features(settings.train), labels: settings.train.labels },
    heldOut: { features: features(settings.heldOut), labels: settings.heldOut.labels },
    samples: settings.samples,
    seed: settings.seed,
    targetAcceptance: settings.targetAcceptance,
    targetRisk: settings.targetRisk,
    kernel: await servingHeadKernel(),
    mahalanobis: 'when-every-class-has-data',
  })
  const oodScore = settings.oodScore === 'mahalanobis' && fit.mahalanobis === null ? 'energy' : settings.oodScore
  const createdAt = new Date().toISOString()
  const hyperParameters: Record<string, JsonValue> = {
    ...settings.provenance.hyperParameters,
    denseLayer: classifier.denseLayer,
    activation: classifier.activation,
    dropoutRate: settings.dropoutRate,
    deployment: { samples: settings.samples, seed: settings.seed, targetAcceptance: settings.targetAcceptance, targetRisk: settings.targetRisk, oodScore },
    mahalanobisOmitted: fit.mahalanobisOmitted === null ? null : fit.mahalanobisOmitted.reason,
    validationItems: settings.heldOut.count,
  }
  const contents: BundleContents = {
    id: `${settings.name}-${createdAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${crypto.randomUUID().slice(0, 8)}`,
    name: settings.name,
    createdAt,
    labels: settings.labels,
    input: settings.input,
    architecture: 'imported',
    backbone: await serializeBackbone(backbone),
    head: { weight: head.weight, bias: head.bias, dropoutRate: settings.dropoutRate },
    calibration: fit.calibration,
    ood: { score: oodScore, thresholds: fit.thresholds, targetAcceptance: settings.targetAcceptance, samples: settings.samples, seed: settings.seed },
    mahalanobis: fit.mahalanobis,
    selective: fit.selectiveSpec,
    metrics: { validation: fit.metrics, 'validation-deterministic': fit.deterministicMetrics },
    provenance: { ...settings.provenance, method: 'imported', hyperParameters, seed: settings.seed, parentId: null },
  }
  return { contents, fit, oodScore }
}
