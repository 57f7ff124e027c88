import { imageToInput, loadModel, readImageHeader, setWasmBaseUrl, type Prediction } from '@sd-dropout/sdk'
import { apiUrl, checked, PlaygroundRequestError, type ModelDescription } from './model-description.js'

/** Where the playground runs the model: in the page (the SDK's browser entry) or on the worker (HTTP). */
export type PlaygroundMode = 'page' | 'api'

/** Runs the model on one encoded image (PNG or JPEG bytes). */
export interface Predictor {
  readonly mode: PlaygroundMode
  /** What runs, in words (e.g. `in this page: backbone wasm-simd, head wasm-simd`). */
  readonly runtime: string
  predict(image: Uint8Array, samples: number): Promise<Prediction>
}

/**
 * The model in the page: its bundle from `GET /v1/models/:name/bundle` (the bytes the worker
 * serves, checked against the description's SHA-256), loaded by the SDK's browser entry (wasm
 * fetched from beside this script); each image goes through the SDK's `imageToInput`, the same
 * preprocessing the worker applies to a PNG body.
 *
 * @throws {PlaygroundRequestError} when the bundle cannot be fetched or differs from the API's model.
 * @example
 * ```ts
 * const predictor = await createPagePredictor(description)
 * const prediction = await predictor.predict(pngBytes, 32)
 * ```
 */
export async function createPagePredictor(description: ModelDescription): Promise<Predictor> {
  const spec = description.input.image
  if (spec === null) throw new PlaygroundRequestError(0, 'not_an_image_model', `model ${description.name} takes vectors, not images`)
  setWasmBaseUrl(new URL('./', import.meta.url))
  const response = await checked(await fetch(apiUrl(`v1/models/${encodeURIComponent(description.name)}/bundle`)))
  const etag = response.headers.get('etag')
  const model = await loadModel(new Uint8Array(await response.arrayBuffer()))
  if (model.info.sha256 !== description.sha256 || etag !== `"${description.sha256}"`) {
    model.dispose()
    throw new PlaygroundRequestError(0, 'bundle_mismatch', `the bundle (sha256 ${model.info.sha256}, ETag ${etag ?? 'none'}) is not the model the API describes (${description.sha256})`)
  }
  return {
    mode: 'page',
    runtime: `in this page: backbone ${model.runtime.backbone}, head ${model.runtime.head}`,
    async predict(image, samples) {
      const [prediction] = await model.predict(imageToInput(image, spec), { samples })
      return prediction as Prediction
    },
  }
}

/**
 * The model on the worker: each image is POSTed as-is (`image/png` or `image/jpeg`) to
 * `/v1/models/:name/predict?samples=S`, where the worker decodes and preprocesses it with the SDK.
 *
 * @example
 * ```ts
 * const prediction = await createApiPredictor(description).predict(pngBytes, 32)
 * ```
 */
export function createApiPredictor(description: ModelDescription): Predictor {
  return {
    mode: 'api',
    runtime: `on the worker: POST /v1/models/${description.name}/predict`,
    async predict(image, samples) {
      let type = 'image/png'
      try {
        type = readImageHeader(image).format === 'jpeg' ? 'image/jpeg' : 'image/png'
      } catch {
        // not an image: the worker answers input_error, shown as it is
      }
      const url = apiUrl(`v1/models/${encodeURIComponent(description.name)}/predict?samples=${samples}`)
      const response = await checked(await fetch(url, { method: 'POST', headers: { 'content-type': type }, body: image.slice() }))
      const body = (await response.json()) as { predictions: Prediction[] }
      return body.predictions[0] as Prediction
    },
  }
}
