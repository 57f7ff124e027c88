import { OptionError } from '@sd-dropout/sdk'
import { selectBackend, BACKEND_CHOICES, type BackendChoice } from '../backend/select-backend.js'
import { assertImageShape, readIdxImages } from '../data/idx-dataset.js'
import { BUNDLE_BATCH, openBundleModel, readBundleBytes } from '../evaluate/open-bundle-model.js'
import type { CommandContext } from './command-context.js'
import { formatHelp, parseOptions, type OptionSpec } from './option-spec.js'

/** Every flag of `sd-dropout predict`. */
export const PREDICT_OPTIONS: readonly OptionSpec[] = [
  { name: 'bundle', kind: 'string', placeholder: '<file.sdd>', description: 'the model bundle (required)' },
  { name: 'images', kind: 'string', placeholder: '<file>', description: 'IDX images to classify (required)' },
  { name: 'limit', kind: 'integer', min: 1, max: 1000000, description: 'classify only the first N images' },
  { name: 'json', kind: 'boolean', default: false, description: 'print one JSON object { predictions: [...] } instead of a table' },
  { name: 'backend', kind: 'string', choices: BACKEND_CHOICES, default: 'auto', description: 'tfjs backend for the backbone' },
]

const SUMMARY = `Classify IDX images with a bundle through the SDK's model.predict (the bundle's S and mask seed):
predicted label, calibrated confidence (mean of S MC-dropout samples at T_cal), mutual information,
the default OOD score against its threshold, and whether the selective-prediction threshold would abstain.`

/**
 * `sd-dropout predict`: one prediction per image, as the SDK would make it.
 *
 * @example
 * ```ts
 * await predictCommand(['--bundle', 'model.sdd', '--images', 'digits.idx', '--json'], context)
 * ```
 */
export async function predictCommand(argv: readonly string[], context: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    context.stdout(`${formatHelp('predict', SUMMARY, PREDICT_OPTIONS)}\n`)
    return 0
  }
  const { values } = parseOptions('predict', PREDICT_OPTIONS, argv)
  if (typeof values.bundle !== 'string') throw new OptionError('--bundle', 'is required: the bundle file')
  if (typeof values.images !== 'string') throw new OptionError('--images', 'is required: an IDX image file')
  await selectBackend(values.backend as BackendChoice)
  const model = await openBundleModel(await readBundleBytes(values.bundle))
  try {
    const { info } = model
    const file = readIdxImages(values.images)
    assertImageShape(file, info.input.shape)
    const count = Math.min(file.count, (values.limit as number | undefined) ?? file.count)
    const options = { samples: info.ood.samples, seed: info.ood.seed }
    const predictions: PredictionLine[] = []
    for (let start = 0; start < count; start += BUNDLE_BATCH) {
      const items = file.images.subarray(start * info.inputSize, Math.min(count, start + BUNDLE_BATCH) * info.inputSize)
      for (const p of await model.predict(items, options)) {
        predictions.push({
          index: predictions.length,
          label: p.label,
          confidence: p.confidence,
          probabilities: p.probabilities,
          mutualInformation: p.uncertainty.mutualInformation,
          ood: { score: p.ood.method, value: p.ood.score, threshold: p.ood.threshold, outOfDistribution: p.ood.threshold === null ? null : p.ood.isOutOfDistribution },
          abstain: p.abstain,
        })
      }
    }
    if (values.json === true) {
      context.stdout(`${JSON.stringify({ bundle: info.id, samples: options.samples, seed: options.seed, temperature: info.calibration.temperature, predictions }, null, 2)}\n`)
    } else {
      const lines = predictions.map(
        (p) => `${String(p.index).padStart(5)}  label ${p.label}  confidence ${(100 * p.confidence).toFixed(1)}%  MI ${p.mutualInformation.toFixed(4)}  ${p.ood.score} ${p.ood.value.toFixed(4)}${p.ood.outOfDistribution === true ? '  OOD' : ''}${p.abstain ? '  abstain' : ''}`,
      )
      context.stdout(`${lines.join('\n')}\n`)
    }
  } finally {
    model.dispose()
  }
  return 0
}

/** One prediction of `predict --json` (docs/cli.md). */
interface PredictionLine {
  readonly index: number
  readonly label: string
  readonly confidence: number
  readonly probabilities: readonly number[]
  readonly mutualInformation: number
  readonly ood: { readonly score: string; readonly value: number; readonly threshold: number | null; readonly outOfDistribution: boolean | null }
  readonly abstain: boolean
}
