import { sha256Hex } from '@sd-dropout/sdk'
import type { Dataset } from './dataset.js'

/**
 * The fingerprint of a data set recorded in provenance: SHA-256 (hex) over the inputs as float32
 * little-endian, then the labels as int32 little-endian, in item order.
 *
 * @example
 * ```ts
 * const hash = await datasetHash(train) // 64 hex characters
 * ```
 */
export async function datasetHash(dataset: Pick<Dataset, 'images' | 'labels'>): Promise<string> {
  const bytes = new Uint8Array(4 * (dataset.images.length + dataset.labels.length))
  const view = new DataView(bytes.buffer)
  dataset.images.forEach((value, i) => view.setFloat32(4 * i, value, true))
  const offset = 4 * dataset.images.length
  dataset.labels.forEach((value, i) => view.setInt32(offset + 4 * i, value, true))
  return sha256Hex(bytes)
}
