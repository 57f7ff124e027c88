import type { Prediction } from '@sd-dropout/sdk'
import { formatNats, formatProbability, gaugePosition } from './format.js'
import type { ModelDescription } from './model-description.js'
import type { PlaygroundMode } from './predictors.js'

/** How a shown prediction was made. */
export interface ResultContext {
  readonly mode: PlaygroundMode
  readonly samples: number
}

/** The result panel. */
export interface ResultView {
  /** Back to the empty panel, with a message. */
  reset(message: string): void
  /** A prediction is on its way (the last one stays, dimmed). */
  busy(): void
  show(prediction: Prediction, context: ResultContext): void
  fail(message: string): void
}

/** The plain verdict for a prediction's OOD check. */
export type Verdict = 'in-distribution' | 'out-of-distribution' | 'no-threshold'

function bar(name: string, fraction: number, value: string, top = false): HTMLLIElement {
  const item = document.createElement('li')
  if (top) item.className = 'top'
  const label = Object.assign(document.createElement('span'), { className: 'name', textContent: name })
  const track = Object.assign(document.createElement('span'), { className: 'track' })
  track.setAttribute('aria-hidden', 'true')
  const fill = Object.assign(document.createElement('span'), { className: 'fill' })
  fill.style.width = `${Math.min(100, Math.max(0, fraction * 100)).toFixed(2)}%`
  track.append(fill)
  item.append(label, track, Object.assign(document.createElement('span'), { className: 'value', textContent: value }))
  return item
}

/**
 * Renders predictions into the result panel: label and confidence, one bar per calibrated
 * probability, bars for predictive entropy and mutual information (nats, up to ln C), and the OOD
 * score on a gauge against its threshold with a plain verdict. Every shown number is also on the
 * panel's data attributes (`data-prediction` holds the whole prediction as JSON, `data-run` counts
 * results), for tests and scripts.
 *
 * @example
 * ```ts
 * const view = createResultView(document.querySelector('#result'), description)
 * view.show(prediction, { mode: 'page', samples: 32 })
 * ```
 */
export function createResultView(root: HTMLElement, description: ModelDescription): ResultView {
  const find = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector) as T
  const summary = find('#summary')
  const verdictText = find('#verdict')
  const probabilities = find('#probabilities')
  const uncertainty = find('#uncertainty')
  const gauge = find('#ood-gauge')
  const oodText = find('#ood-text')
  const maxEntropy = Math.log(description.labels.length)
  const known = description.labels.every((label) => /^\d$/.test(label)) ? 'Looks like a digit' : 'Looks like something this model knows'
  let run = 0

  const clearData = () => {
    for (const name of Object.keys(root.dataset)) if (name !== 'run' && name !== 'state') delete root.dataset[name]
  }
  const setGauge = (fraction: number, verdict: Verdict | 'none') => {
    ;(gauge.querySelector('.fill') as HTMLElement).style.width = `${(fraction * 100).toFixed(2)}%`
    gauge.dataset.verdict = verdict
  }

  const reset = (message: string) => {
    clearData()
    root.dataset.state = 'idle'
    summary.textContent = message
    verdictText.textContent = ''
    verdictText.dataset.verdict = 'none'
    probabilities.replaceChildren()
    uncertainty.replaceChildren()
    setGauge(0, 'none')
    oodText.textContent = '\u00a0'
  }

  return {
    reset,
    busy() {
      root.dataset.state = 'busy'
    },
    show(prediction, context) {
      const { ood } = prediction
      const verdict: Verdict = ood.threshold === null ? 'no-threshold' : ood.isOutOfDistribution ? 'out-of-distribution' : 'in-distribution'
      clearData()
      Object.assign(root.dataset, {
        state: 'done',
        run: String(++run),
        mode: context.mode,
        samples: String(context.samples),
        label: prediction.label,
        confidence: String(prediction.confidence),
        probabilities: JSON.stringify(prediction.probabilities),
        oodScore: String(ood.score),
        oodThreshold: String(ood.threshold),
        oodMethod: ood.method,
        verdict,
        prediction: JSON.stringify(prediction),
      })
      summary.textContent = `Label ${prediction.label}, confidence ${formatProbability(prediction.confidence)}${prediction.abstain ? ' (too unsure: the model would rather not answer)' : ''}`
      verdictText.dataset.verdict = verdict
      verdictText.textContent = verdict === 'in-distribution' ? known : verdict === 'out-of-distribution' ? 'Not something this model knows' : `No threshold for the ${ood.method} score in this model`
      probabilities.replaceChildren(...prediction.probabilities.map((p, i) => bar(description.labels[i] ?? String(i), p, formatProbability(p), i === prediction.classIndex)))
      uncertainty.replaceChildren(
        bar('Predictive entropy', prediction.uncertainty.predictiveEntropy / maxEntropy, formatNats(prediction.uncertainty.predictiveEntropy)),
        bar('Mutual information', prediction.uncertainty.mutualInformation / maxEntropy, formatNats(prediction.uncertainty.mutualInformation)),
      )
      setGauge(ood.threshold === null ? 0 : gaugePosition(ood.score, ood.threshold), verdict)
      oodText.textContent = `${ood.method} score ${ood.score.toPrecision(4)}${ood.threshold === null ? '' : ` against its threshold ${ood.threshold.toPrecision(4)} (the marker; higher = less like the training data)`}`
    },
    fail(message) {
      reset(message)
      Object.assign(root.dataset, { state: 'error', run: String(++run), error: message })
    },
  }
}
