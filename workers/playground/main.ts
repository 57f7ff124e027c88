/**
 * The sd-dropout playground (served by the worker at `/`): draw or drop an image, run the
 * worker's default model on it in this page (the SDK's browser entry) or on the worker (HTTP API),
 * and see calibrated probabilities, uncertainty and the OOD verdict. Both modes give the model the
 * same bytes (the drawing as PNG, or the dropped file) and preprocess them with the SDK's
 * `imageToInput`: here in the page, there in the worker. Plain DOM, no framework.
 */
import { imageToInput, type ImagePreprocessing } from '@sd-dropout/sdk'
import { createDrawPad } from './draw-pad.js'
import { acceptImageFiles } from './image-drop.js'
import { clearModelInput, showModelInput } from './input-preview.js'
import { describeDefaultModel, type ModelDescription } from './model-description.js'
import { createApiPredictor, createPagePredictor, type PlaygroundMode, type Predictor } from './predictors.js'
import { createResultView } from './result-view.js'

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))
const START_MESSAGE = 'Draw something to start.'

function describeSpec(spec: ImagePreprocessing): string {
  const steps = [`${spec.width} × ${spec.height} ${spec.channels === 1 ? 'gray' : 'RGB'}`]
  if (spec.invert) steps.push('inverted')
  if (spec.mnistCentering) steps.push('centred like MNIST')
  return steps.join(', ')
}

function start(description: ModelDescription, spec: ImagePreprocessing): void {
  const preview = byId<HTMLCanvasElement>('preview')
  const samples = byId<HTMLInputElement>('samples')
  const runtime = byId('runtime')
  const view = createResultView(byId('result'), description)
  const predictors: Partial<Record<PlaygroundMode, Promise<Predictor>>> = {}
  let image: Uint8Array | null = null
  let sequence = 0

  const mode = (): PlaygroundMode => (document.querySelector<HTMLInputElement>('input[name="mode"]:checked')?.value === 'api' ? 'api' : 'page')
  const predictorFor = (wanted: PlaygroundMode): Promise<Predictor> => {
    if (predictors[wanted] === undefined) {
      if (wanted === 'page') runtime.textContent = 'Loading the model into this page…'
      const created = wanted === 'page' ? createPagePredictor(description) : Promise.resolve(createApiPredictor(description))
      predictors[wanted] = created.catch((error: unknown) => {
        delete predictors[wanted]
        throw error
      })
    }
    return predictors[wanted]
  }
  const showRuntime = async () => {
    const wanted = mode()
    try {
      const predictor = await predictorFor(wanted)
      if (mode() === wanted) runtime.textContent = `Running ${predictor.runtime}.`
    } catch (error) {
      if (mode() === wanted) runtime.textContent = `The model could not run ${wanted === 'page' ? 'in this page' : 'on the worker'}: ${messageOf(error)}`
    }
  }

  const run = async () => {
    const id = ++sequence
    if (image === null) {
      clearModelInput(preview)
      view.reset(START_MESSAGE)
      return
    }
    const bytes = image
    const wanted = mode()
    const count = Number(samples.value)
    view.busy()
    try {
      showModelInput(preview, imageToInput(bytes, spec), spec)
    } catch {
      clearModelInput(preview) // not an image the SDK can read: the prediction below says why
    }
    try {
      const prediction = await (await predictorFor(wanted)).predict(bytes, count)
      if (id === sequence) view.show(prediction, { mode: wanted, samples: count })
    } catch (error) {
      if (id === sequence) view.fail(messageOf(error))
    }
  }

  const pad = createDrawPad(byId('pad'), {
    onStroke: () => {
      void pad.toPng().then((png) => {
        image = png
        return run()
      })
    },
    onClearKey: () => clear(),
  })
  const clear = () => {
    pad.clear()
    image = null
    void run()
  }
  pad.setColours(spec.invert ? { background: '#ffffff', ink: '#000000' } : { background: '#000000', ink: '#ffffff' })
  pad.clear()
  byId('clear').addEventListener('click', clear)
  acceptImageFiles(byId('drop-zone'), byId('file'), (bytes) => {
    image = bytes
    void pad.showImage(bytes).catch(() => pad.clear()).then(run)
  })

  const fitted = description.ood.samples
  samples.max = String(Math.max(128, fitted))
  samples.value = String(fitted)
  byId('samples-value').textContent = String(fitted)
  byId('fitted-samples').textContent = String(fitted)
  byId('preview-spec').textContent = describeSpec(spec)
  byId('class-count').textContent = String(description.labels.length)
  samples.addEventListener('input', () => {
    byId('samples-value').textContent = samples.value
  })
  samples.addEventListener('change', () => void run())
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="mode"]')) {
    radio.addEventListener('change', () => {
      void showRuntime()
      void run()
    })
  }
  view.reset(START_MESSAGE)
  void showRuntime()
  document.body.dataset.ready = 'true'
}

async function main(): Promise<void> {
  const status = byId('model-status')
  try {
    const description = await describeDefaultModel()
    const spec = description.input.image
    if (spec === null) throw new Error(`model ${description.name} takes vectors, not images; the playground needs an image model`)
    status.textContent = `Model ${description.name}: ${description.labels.length} classes, bundle sha256 ${description.sha256.slice(0, 12)}…`
    status.dataset.state = 'ready'
    start(description, spec)
  } catch (error) {
    status.textContent = `The worker's model could not be described: ${messageOf(error)}`
    status.dataset.state = 'error'
  }
}

void main()
