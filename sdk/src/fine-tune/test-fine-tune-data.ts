import { loadModelOn } from '../model/load-model.js'
import type { SdModel } from '../model/sd-model.js'
import { referenceFeatures, TEST_INPUT_SIZE, testBundle, testInputs } from '../model/test-model.js'
import { nodePlatform } from '../platform/node-platform.js'
import { nodeHeadGradientKernel } from './node/load-wasm-head-gradient-kernel.js'

/**
 * Test support for fine-tuning: the SDK test model (8 x 8 inputs, D = 6, labels cat, dog, eel) on
 * the Node platform with the wasm gradient kernel plugged in, and a labelling task it does not
 * know: items ranked by s = h . v (h its backbone features) and cut into `classes` equal groups.
 * A linear head can learn it (the groups are ordered along one direction of h); the test model's
 * own head has nothing to do with it.
 */
export async function loadFineTunableTestModel(bundle?: Uint8Array): Promise<SdModel> {
  return loadModelOn({ ...nodePlatform, headGradientKernel: nodeHeadGradientKernel }, bundle ?? (await testBundle()))
}

/** The default direction v of {@link rankedTask}. */
export const TASK_DIRECTION = [1, -1, 1, -1, 1, -1] as const

/** `count` test inputs labelled 0 .. classes - 1 by the quantile group of h . v. */
export function rankedTask(count: number, seed: number, classes = 3, direction: readonly number[] = TASK_DIRECTION): { inputs: Float32Array; labels: number[] } {
  const inputs = testInputs(count, seed)
  const scores = Array.from({ length: count }, (_, i) => {
    const h = referenceFeatures(inputs.subarray(i * TEST_INPUT_SIZE, (i + 1) * TEST_INPUT_SIZE))
    return h.reduce((sum, v, k) => sum + v * (direction[k] as number), 0)
  })
  const sorted = [...scores].sort((a, b) => a - b)
  const cuts = Array.from({ length: classes - 1 }, (_, k) => sorted[Math.floor(((k + 1) * count) / classes)] as number)
  return { inputs, labels: scores.map((s) => cuts.filter((cut) => s >= cut).length) }
}
