import { readBundle, writeBundle, type BundlePartInput, type JsonValue } from '@sd-dropout/sdk'

/**
 * A copy of a bundle whose calibration temperature is `temperature` (every other manifest field
 * and every part unchanged, re-encoded and re-hashed by the SDK's writer). `evaluate` loads the
 * copy at T = 1 to measure what T_cal changes: the same model served without it.
 *
 * @param bytes a bundle file's bytes (verified on read)
 * @param temperature the T_cal of the copy, > 0
 * @throws the errors of `readBundle` / `writeBundle` (a damaged bundle, a bad temperature).
 * @example
 * ```ts
 * const uncalibrated = await openBundleModel(await bundleAtTemperature(bytes, 1))
 * ```
 */
export async function bundleAtTemperature(bytes: Uint8Array, temperature: number): Promise<Uint8Array> {
  const bundle = await readBundle(bytes)
  const parts: BundlePartInput[] = bundle.partNames
    .filter((name) => name !== 'manifest')
    .map((name) => {
      const { dtype, shape } = bundle.part(name)
      if (dtype === 'json') return { name, data: bundle.json(name) as JsonValue }
      return { name, data: dtype === 'float32' ? bundle.float32(name) : bundle.bytes(name), shape }
    })
  const manifest = { ...bundle.manifest, calibration: { ...bundle.manifest.calibration, temperature } }
  return writeBundle({ manifest, parts })
}
