import { loadModel, serializeBackbone, type BundleContents, type LoadModelOptions, type SdModel } from '@sd-dropout/sdk'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'

/**
 * Real models for the worker's unit tests (not shipped): bundles written by our own writer and
 * loaded through the SDK's Node entry (vitest resolves `@sd-dropout/sdk` to it), so route, body
 * and middleware logic runs against the real `SdModel`, never a stand-in.
 *
 * The bundles come from the SDK's test model (`sdk/src/model/test-model.ts`): 8 x 8 x 1 image
 * input, features D = 6, labels cat / dog / eel, p = 0.5, T_cal = 1.5, OOD score
 * `mutual-information` with threshold 0.05 at S = 16 (also energy -1.2, msp 0.45, mahalanobis 9),
 * selective threshold 0.6. Of `testInputs(20, 5)`, items 0 and 1 score above the MI threshold at
 * the bundle's defaults, items 3 and 7 below.
 */

/** The part of `sdk/src/model/test-model.ts` the worker's tests use. */
export interface SdkTestModel {
  readonly testBundle: (overrides?: Partial<BundleContents>) => Promise<Uint8Array>
  readonly testInputs: (count: number, seed?: number) => Float32Array
  readonly denseKernel: Float32Array
  readonly denseBias: Float32Array
  readonly TEST_INPUT_SIZE: number
  readonly TEST_FEATURES: number
}

// The SDK's test model is Node-only TypeScript source; the worker's type check runs against
// workerd's types, so the module is imported by path at run time and typed by the interface above.
const SDK_TEST_MODEL: string = '../../../sdk/src/model/test-model.js'

/**
 * The SDK's test-model module (its bundle writer, inputs and weights).
 *
 * @example
 * ```ts
 * const { testInputs } = await sdkTestModel()
 * ```
 */
export async function sdkTestModel(): Promise<SdkTestModel> {
  return (await import(/* @vite-ignore */ SDK_TEST_MODEL)) as SdkTestModel
}

/**
 * Loads the SDK's test model, with manifest-level `overrides` (other thresholds, another name).
 * Dispose it after the tests.
 *
 * @example
 * ```ts
 * const model = await loadTestModel({ name: 'two', id: 'two-1' })
 * ```
 */
export async function loadTestModel(overrides: Partial<BundleContents> = {}, options?: LoadModelOptions): Promise<SdModel> {
  return loadModel(await (await sdkTestModel()).testBundle(overrides), options)
}

/**
 * The test model's weights behind a vector input of 64 values (`kind: 'vector'`, no image spec):
 * input [64] -> dense(6, relu) with the same kernel and bias, so a flat item gives the same
 * features as the 8 x 8 x 1 image model. Named `test-vector`.
 *
 * @example
 * ```ts
 * const vector = await loadModel(await vectorTestBundle())
 * ```
 */
export async function vectorTestBundle(): Promise<Uint8Array> {
  const sdk = await sdkTestModel()
  await sdk.testBundle() // starts the tfjs wasm backend that the layers below need
  const input = tfl.input({ shape: [sdk.TEST_INPUT_SIZE] })
  const dense = tfl.layers.dense({ units: sdk.TEST_FEATURES, activation: 'relu', name: 'features' })
  const model = tfl.model({ inputs: input, outputs: dense.apply(input) as tfl.SymbolicTensor })
  dense.setWeights([tf.tensor2d(sdk.denseKernel, [sdk.TEST_INPUT_SIZE, sdk.TEST_FEATURES]), tf.tensor1d(sdk.denseBias)])
  const backbone = await serializeBackbone(model)
  model.dispose()
  return sdk.testBundle({
    id: 'test-vector-20261122T000000Z-00000002',
    name: 'test-vector',
    input: { shape: [sdk.TEST_INPUT_SIZE], kind: 'vector', image: null },
    backbone,
  })
}
