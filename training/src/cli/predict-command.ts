import { OptionError } from '@sd-dropout/sdk'
import { selectBackend, BACKEND_CHOICES, type BackendChoice } from '../backend/select-backend.js'
import { assertImageShape, readIdxImages } from '../data/idx-dataset.js'
import { runModel } from '../evaluate/deployed-model.js'
import { loadBundleModel } from '../evaluate/load-bundle-model.js'
import { scoreRun } from '../evaluate/score-run.js'
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

const SUMMARY = `Classify IDX images with a bundle: predicted label, calibrated confidence (mean of S MC-dropout
samples at T_cal), mutual information, the default OOD score against its threshold, and whether
the selective-prediction threshold would abstain.`

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
  const { manifest, model } = await loadBundleModel(values.bundle)
  const file = readIdxImages(values.images)
  assertImageShape(file, model.inputShape)
  const count = Math.min(file.count, (values.limit as number | undefined) ?? file.count)
  const size = model.inputShape.reduce((a, b) => a * b, 1)
  const run = runModel(model, { name: values.images, images: file.images.subarray(0, count * size), count, itemShape: file.itemShape })
  const scored = scoreRun(model, run)
  const score = manifest.ood.score
  const threshold = manifest.ood.thresholds[score]
  const scoreValues = scored.scores[score]
  const classes = model.head.classes
  const predictions = Array.from({ length: count }, (_, i) => {
    const probabilities = Array.from(scored.monteCarloProbabilities.subarray(i * classes, (i + 1) * classes))
    let label = 0
    for (let c = 1; c < classes; c++) if ((probabilities[c] as number) > (probabilities[label] as number)) label = c
    const confidence = probabilities[label] as number
    const value = scoreValues?.[i] ?? null
    return {
      index: i,
      label: manifest.labels[label] ?? String(label),
      confidence,
      probabilities,
      mutualInformation: scored.scores['mutual-information']?.[i] ?? 0,
      ood: { score, value, threshold: threshold ?? null, outOfDistribution: value !== null && threshold !== undefined ? value > threshold : null },
      abstain: manifest.selective === null ? false : confidence < manifest.selective.confidenceThreshold,
    }
  })
  if (values.json === true) {
    context.stdout(`${JSON.stringify({ bundle: manifest.id, samples: model.samples, temperature: model.temperature, predictions }, null, 2)}\n`)
  } else {
    const lines = predictions.map(
      (p) => `${String(p.index).padStart(5)}  label ${p.label}  confidence ${(100 * p.confidence).toFixed(1)}%  MI ${p.mutualInformation.toFixed(4)}  ${score} ${p.ood.value?.toFixed(4) ?? '-'}${p.ood.outOfDistribution ? '  OOD' : ''}${p.abstain ? '  abstain' : ''}`,
    )
    context.stdout(`${lines.join('\n')}\n`)
  }
  model.backbone.dispose()
  return 0
}
