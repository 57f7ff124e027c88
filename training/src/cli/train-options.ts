import { OOD_SCORE_NAMES } from '@sd-dropout/sdk'
import { BACKEND_CHOICES } from '../backend/select-backend.js'
import { PEER_DEFAULTS } from '../methods/method-registry.js'
import { SCHEDULE_NAMES } from '../loop/learning-rate-schedule.js'
import { OPTIMIZER_NAMES } from '../loop/optimizer.js'
import { ARCHITECTURE_NAMES } from '../models/model-spec.js'
import { TRAIN_DATA_OPTIONS } from './data-options.js'
import type { OptionSpec } from './option-spec.js'
import { REPORT_OPTION } from './robustness-options.js'

/**
 * The default OOD score of exported bundles, chosen from docs/results/sd-dropout.md: on the GAP
 * features of these models `mahalanobis` separated every offline OOD set (AUROC 1.00, FPR95 0)
 * while the logit scores (`msp`, `energy`, `max-logit`) fell to or below chance on noise.
 */
export const DEFAULT_OOD_SCORE = 'mahalanobis'

/** Every flag of `sd-dropout train`. */
export const TRAIN_OPTIONS: readonly OptionSpec[] = [
  { name: 'out', kind: 'string', placeholder: '<file.sdd>', description: 'where to write the bundle (required; written atomically at the end)' },
  { name: 'name', kind: 'string', placeholder: '<name>', description: 'model name in the manifest, [a-z0-9][a-z0-9._-]*', default: 'mnist-sd-dropout' },
  ...TRAIN_DATA_OPTIONS,
  { name: 'model', kind: 'string', choices: ARCHITECTURE_NAMES, default: 'cnn', description: 'backbone architecture' },
  { name: 'width', kind: 'integer', min: 1, max: 512, description: 'cnn / resnet first-stage channels (default cnn 16, resnet 16)' },
  { name: 'depth', kind: 'integer', min: 8, max: 110, default: 8, description: 'resnet depth, 6n + 2 (8, 14, 20, ...)' },
  { name: 'hidden', kind: 'list', default: ['256', '128'], description: 'mlp hidden layer sizes' },
  { name: 'method', kind: 'string', default: 'sd-dropout', description: 'ce, ps-kd, frskd, lsskd, sd-dropout (= ce+sd-dropout), or <method>+sd-dropout' },
  { name: 'sd-rate', kind: 'number', min: 0.01, max: 0.95, default: 0.5, description: 'SD-Dropout drop probability p on h (also the MC-dropout rate of the bundle); official 0.5, the default model uses 0.2' },
  { name: 'sd-temperature', kind: 'number', min: 0.05, max: 100, default: 3, description: 'distillation temperature tau of the SD-Dropout KL; official 3, the default model uses 1' },
  { name: 'sd-weight', kind: 'number', min: 0, max: 1000, description: 'lambda (default 1.0 for sd-dropout alone, 0.1 combined with another method)' },
  { name: 'sd-detach', kind: 'boolean', default: false, description: 'stop gradients through the target side of each KL' },
  { name: 'sd-samples', kind: 'integer', min: 2, max: 16, default: 2, description: 'K dropout samples per item; the KL is averaged over all pairs' },
  { name: 'ps-kd-alpha', kind: 'number', min: 0, max: 1, default: PEER_DEFAULTS.psKd.alpha, description: 'PS-KD: alpha_T, weight of the previous-epoch predictions in the last epoch (official 0.8)' },
  { name: 'frskd-alpha', kind: 'number', min: 0, max: 1000, default: PEER_DEFAULTS.frskd.alpha, description: 'FRSKD: weight of the soft-label distillation from the self-teacher (official 2)' },
  { name: 'frskd-beta', kind: 'number', min: 0, max: 10000, default: PEER_DEFAULTS.frskd.beta, description: 'FRSKD: weight of the attention-map distillation (official 100)' },
  { name: 'frskd-temperature', kind: 'number', min: 0.05, max: 100, default: PEER_DEFAULTS.frskd.temperature, description: 'FRSKD: distillation temperature (official 4)' },
  { name: 'frskd-width', kind: 'integer', min: 1, max: 8, default: PEER_DEFAULTS.frskd.width, description: 'FRSKD: self-teacher channels per stage channel (official 2; default 1, see docs/methods.md)' },
  { name: 'frskd-depth', kind: 'integer', min: 1, max: 4, default: PEER_DEFAULTS.frskd.depth, description: 'FRSKD: depthwise-separable convolutions per fusion block (official 2)' },
  { name: 'lsskd-temperature', kind: 'number', min: 0.05, max: 100, default: PEER_DEFAULTS.lsskd.temperature, description: 'LSSKD: temperature of the deep-to-shallow KL (ours: 3)' },
  { name: 'lsskd-kl-weight', kind: 'number', min: 0, max: 1000, default: PEER_DEFAULTS.lsskd.klWeight, description: 'LSSKD: weight of the deep-to-shallow KL (ours: 1)' },
  { name: 'lsskd-feature-weight', kind: 'number', min: 0, max: 1000, default: PEER_DEFAULTS.lsskd.featureWeight, description: 'LSSKD: weight of the feature alignment (ours: 1)' },
  { name: 'epochs', kind: 'integer', min: 1, max: 10000, default: 20, description: 'training epochs' },
  { name: 'batch-size', kind: 'integer', min: 1, max: 4096, default: 128, description: 'items per step' },
  { name: 'seed', kind: 'integer', min: 0, max: 4294967295, default: 0, description: 'run seed (weights, shuffling, masks, augmentation)' },
  { name: 'optimizer', kind: 'string', choices: OPTIMIZER_NAMES, default: 'adam', description: 'sgd (momentum, L2) or adam (decoupled weight decay)' },
  { name: 'lr', kind: 'number', min: 1e-7, max: 10, default: 0.01, description: 'base learning rate' },
  { name: 'momentum', kind: 'number', min: 0, max: 0.999, default: 0.9, description: 'sgd momentum' },
  { name: 'weight-decay', kind: 'number', min: 0, max: 1, default: 0.0001, description: 'weight decay (L2 for sgd, decoupled for adam)' },
  { name: 'schedule', kind: 'string', choices: SCHEDULE_NAMES, default: 'cosine', description: 'learning-rate schedule after warm-up' },
  { name: 'milestones', kind: 'list', description: 'multistep: epochs at which the rate is multiplied by --gamma (default 50% and 75% of --epochs)' },
  { name: 'gamma', kind: 'number', min: 0, max: 1, default: 0.1, description: 'multistep factor' },
  { name: 'min-lr', kind: 'number', min: 0, max: 10, default: 0, description: 'cosine: final learning rate' },
  { name: 'warmup-epochs', kind: 'number', min: 0, max: 1000, default: 0, description: 'linear warm-up length in epochs' },
  { name: 'backend', kind: 'string', choices: BACKEND_CHOICES, default: 'auto', description: 'tfjs backend (auto: node-gpu, node, wasm, cpu)' },
  { name: 'checkpoint', kind: 'string', placeholder: '<file>', description: 'checkpoint path, written atomically every epoch and on Ctrl-C (default <out>.ckpt)' },
  { name: 'keep-checkpoint', kind: 'boolean', default: false, description: 'keep the checkpoint after a successful export' },
  { name: 'resume', kind: 'string', placeholder: '<file>', description: 'continue the run saved in this checkpoint exactly (hyper-parameters come from it)' },
  { name: 'ood-score', kind: 'string', choices: OOD_SCORE_NAMES, default: DEFAULT_OOD_SCORE, description: 'default OOD score of the bundle (thresholds are fitted for every score)' },
  { name: 'ood-samples', kind: 'integer', min: 0, max: 1024, default: 32, description: 'S the SDK uses for MC scores; thresholds are fitted at it' },
  { name: 'ood-seed', kind: 'integer', min: 0, max: 4294967295, default: 0, description: 'mask seed the SDK uses for MC scores' },
  { name: 'target-acceptance', kind: 'number', min: 0.5, max: 1, default: 0.95, description: 'fraction of validation items each OOD threshold accepts' },
  { name: 'target-risk', kind: 'number', min: 0, max: 1, default: 0.01, description: 'selective prediction: highest error rate among answered validation items' },
  REPORT_OPTION,
]
