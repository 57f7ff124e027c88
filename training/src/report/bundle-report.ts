import { readBundle } from '@sd-dropout/sdk'
import type { Dataset } from '../data/dataset.js'
import { SYNTHETIC_OOD_NAMES, syntheticOodSetInModelSpace } from '../data/synthetic-ood.js'
import { evaluateBundleDetailed } from '../evaluate/evaluate-bundle.js'
import { withBundleModels } from '../evaluate/open-bundle-model.js'
import { buildReportModel } from './build-report-model.js'
import { writeReport } from './write-report.js'

/**
 * Writes the HTML report of a bundle (e.g. right after `train` wrote it): loads it through the SDK,
 * evaluates it on `test` and the synthetic OOD sets (image models; 1,000 items each), and writes
 * the page with `writeReport`. Training curves come from the bundle's provenance; the shift and
 * FGSM sections say how to add them (`sd-dropout evaluate --shift ... --fgsm ... --report`).
 *
 * @param test labelled data in the model's input space (`train` passes its test split, else its validation split)
 * @param generatedBy the command line shown in the page
 * @example
 * ```ts
 * await writeBundleReport(await readBundleBytes(out), data.test ?? data.validation, 'report.html', commandLine(['train', ...argv]))
 * ```
 */
export async function writeBundleReport(bytes: Uint8Array, test: Dataset, path: string, generatedBy: string): Promise<{ path: string; bytes: number }> {
  const architecture = (await readBundle(bytes)).manifest.backbone.architecture
  return withBundleModels(bytes, async (model, uncalibrated) => {
    const oodSets = model.info.input.kind === 'vector' ? [] : SYNTHETIC_OOD_NAMES.map((name) => syntheticOodSetInModelSpace(name, test, 1000, model.info.input))
    const detailed = await evaluateBundleDetailed(model, uncalibrated, test, oodSets)
    return writeReport(path, buildReportModel(model, { detailed, test, shifts: null, fgsm: null, architecture, generatedBy }))
  })
}
