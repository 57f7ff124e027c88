/**
 * SDK modules the trainer needs that `@sd-dropout/sdk`'s barrel does not export yet. TEMPORARY:
 * these deep relative imports cross the package boundary; once the SDK exports them (format,
 * format/node, calibration, ood), replace this file's re-exports with `@sd-dropout/sdk` imports.
 * Keeping them in one file makes that a one-file change.
 */
export {
  evaluateClassification,
  negativeLogLikelihoodFromLogits,
  fitTemperature,
  selectiveThreshold,
  topLabelPredictions,
  type ClassificationMetrics,
  type SelectiveThreshold,
  type TemperatureFit,
} from '../../sdk/src/calibration/index.js'
export { readBundle, sha256Hex, writeBundle, type BundlePartInput, type ModelBundle } from '../../sdk/src/format/index.js'
export { readBundleFile, writeBundleFile, writeFileAtomic } from '../../sdk/src/format/node/index.js'
export {
  acceptanceThreshold,
  evaluateOodDetection,
  MahalanobisAccumulator,
  mahalanobisStatistics,
  scoreItem,
  type MahalanobisStatistics,
  type OodScoreInput,
} from '../../sdk/src/ood/index.js'
export { createTypeScriptHeadKernel, type HeadKernelOutput } from '../../sdk/src/kernels/index.js'
