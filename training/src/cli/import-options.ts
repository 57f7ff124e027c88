import { OOD_SCORE_NAMES } from '@sd-dropout/sdk'
import { BACKEND_CHOICES } from '../backend/select-backend.js'
import { DATA_SOURCE_OPTIONS } from './data-options.js'
import type { OptionSpec } from './option-spec.js'
import { REPORT_OPTION } from './robustness-options.js'

/** Every flag of `sd-dropout import`. */
export const IMPORT_OPTIONS: readonly OptionSpec[] = [
  { name: 'model', kind: 'string', placeholder: '<model.json>', description: 'a tfjs LayersModel (model.json and its weight files, e.g. from tensorflowjs_converter) whose last layer is a dense classifier (required)' },
  { name: 'out', kind: 'string', placeholder: '<file.sdd>', description: 'the bundle to write (required; written atomically)' },
  { name: 'name', kind: 'string', placeholder: '<name>', default: 'imported', description: 'model name in the manifest, [a-z0-9][a-z0-9._-]*' },
  { name: 'labels', kind: 'list', placeholder: '<a,b,...>', description: 'class names in the order of the classifier\'s outputs (default: the data\'s class names)' },
  ...DATA_SOURCE_OPTIONS,
  { name: 'scale', kind: 'number', min: 1e-9, max: 1, default: 1 / 255, description: 'what the model was fed: 8-bit pixel values times this (1/255: [0, 1]; 1: 0..255), before --mean / --std' },
  { name: 'mean', kind: 'list', placeholder: '<m1,m2,m3>', description: 'per-channel mean the model\'s inputs were normalised with, after --scale (default 0)' },
  { name: 'std', kind: 'list', placeholder: '<s1,s2,s3>', description: 'per-channel standard deviation, after --scale and --mean (default 1)' },
  { name: 'invert', kind: 'boolean', default: false, description: 'the SDK inverts served images (255 - v) before scaling, for models of light ink on dark paper' },
  { name: 'mnist-centering', kind: 'boolean', description: 'the SDK centres served images like MNIST digits (default: with --data mnist)' },
  { name: 'dropout-rate', kind: 'number', min: 0, max: 0.95, description: 'p of the MC-dropout in front of the head (default: the rate of a Dropout layer feeding the classifier, else 0)' },
  { name: 'ood-score', kind: 'string', choices: OOD_SCORE_NAMES, default: 'mahalanobis', description: 'default OOD score of the bundle (thresholds are fitted for every score)' },
  { name: 'ood-samples', kind: 'integer', min: 0, max: 1024, description: 'S the SDK serves with (default 32 with dropout, 0 without)' },
  { name: 'ood-seed', kind: 'integer', min: 0, max: 4294967295, default: 0, description: 'mask seed the SDK uses' },
  { name: 'target-acceptance', kind: 'number', min: 0.5, max: 1, default: 0.95, description: 'fraction of validation items each OOD threshold accepts' },
  { name: 'target-risk', kind: 'number', min: 0, max: 1, default: 0.01, description: 'selective prediction: highest error rate among answered validation items' },
  { name: 'backend', kind: 'string', choices: BACKEND_CHOICES, default: 'auto', description: 'tfjs backend (auto: node-gpu, node, wasm, cpu)' },
  REPORT_OPTION,
]
