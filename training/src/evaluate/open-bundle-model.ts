import { readFile } from 'node:fs/promises'
import * as tf from '@tensorflow/tfjs-core'
import { createTypeScriptHeadKernel, InputError, loadModelOn, OptionError, type ModelPlatform, type SdModel } from '@sd-dropout/sdk'
import { servingHeadKernel } from '../export/serving-head-kernel.js'
import { bundleAtTemperature } from './bundle-at-temperature.js'

/**
 * The SDK model platform of the trainer: bundles given as bytes, the backbone on the tfjs backend
 * the trainer selected (`backbone: 'current'`), and the head kernel of {@link servingHeadKernel}
 * (the SDK's wasm SIMD kernel), shared with the post-training fit so one process never initialises
 * the wasm kernel twice. Everything else is the SDK's one loading path, `loadModelOn`.
 */
const trainerPlatform: ModelPlatform = {
  readSource(source) {
    if (source instanceof Uint8Array) return Promise.resolve(source)
    return Promise.reject(new InputError('the trainer opens bundles from bytes (read the file first, see readBundleBytes)'))
  },
  async initBackbone(preference) {
    if (preference !== 'current') throw new OptionError('backbone', `the trainer runs bundles on its own tfjs backend (current), not ${preference}`)
    await tf.ready()
    return tf.getBackend()
  },
  headKernel(preference) {
    return preference === 'typescript' ? Promise.resolve(createTypeScriptHeadKernel()) : servingHeadKernel()
  },
}

/**
 * Loads a bundle through the SDK exactly as users do (integrity, schema, backbone, head, T_cal,
 * thresholds), with the backbone on the trainer's active tfjs backend and the serving head kernel.
 * The returned `SdModel`'s `features`, `head` and `predict` are the user's path.
 *
 * @param bytes the bundle file's bytes
 * @throws {FormatError} / {IntegrityError} for a damaged bundle; {KernelError} when the head kernel cannot start.
 * @example
 * ```ts
 * const model = await openBundleModel(await readBundleBytes('model.sdd'))
 * const { features, batch } = await model.features(images)
 * model.dispose()
 * ```
 */
export function openBundleModel(bytes: Uint8Array): Promise<SdModel> {
  return loadModelOn(trainerPlatform, bytes, { backbone: 'current', maxBatch: BUNDLE_BATCH })
}

/**
 * Opens bundle bytes with {@link openBundleModel}, and the same bundle at T_cal = 1
 * (`bundleAtTemperature`), hands both to `use`, and frees both whatever happens.
 *
 * @example
 * ```ts
 * const accuracy = await withBundleModels(bytes, async (model, uncalibrated) => (await evaluateBundle(model, uncalibrated, test, [])).test.accuracy)
 * ```
 */
export async function withBundleModels<T>(bytes: Uint8Array, use: (model: SdModel, uncalibrated: SdModel) => Promise<T>): Promise<T> {
  const model = await openBundleModel(bytes)
  try {
    const uncalibrated = await openBundleModel(await bundleAtTemperature(bytes, 1))
    try {
      return await use(model, uncalibrated)
    } finally {
      uncalibrated.dispose()
    }
  } finally {
    model.dispose()
  }
}

/** Items per `features` / `predict` call when the trainer runs a bundle over a data set. */
export const BUNDLE_BATCH = 1024

/**
 * Reads a bundle file's bytes.
 *
 * @throws {InputError} naming the file when it cannot be read.
 * @example
 * ```ts
 * const bytes = await readBundleBytes('models/mnist-sd-dropout/model.sdd')
 * ```
 */
export async function readBundleBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path))
  } catch (error) {
    const code = (error as { code?: unknown }).code
    throw new InputError(code === 'ENOENT' ? `bundle file not found: ${path}` : `cannot read bundle file ${path}: ${String(code ?? error)}`, { path }, { cause: error })
  }
}
