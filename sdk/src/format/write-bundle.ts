import { FormatError } from '../errors.js'
import { MANIFEST_PART } from './bundle-layout.js'
import { encodePartInput, type BundlePartInput } from './bundle-part.js'
import { checkManifestAgainstParts } from './cross-check.js'
import { encodeBundle, type EncodedPart } from './encode-bundle.js'
import { encodeJson, jsonValueProblem } from './json-value.js'
import type { Manifest } from './manifest.js'
import { parseManifest } from './manifest-schema.js'

/** What a bundle holds: the manifest (stored as the `manifest` part) and the other parts. */
export interface BundleInput {
  readonly manifest: Manifest
  readonly parts: readonly BundlePartInput[]
}

/** Options of {@link writeBundle}. */
export interface WriteBundleOptions {
  /** Ed25519 private key (see `importPrivateKey`): sign the bundle. */
  readonly signingKey?: CryptoKey
}

/**
 * Encodes a model bundle (format v1, docs/format.md): validates the manifest against the schema
 * (unknown keys refused), checks it against the parts (the same checks `readBundle` makes), then
 * writes header, part table, SHA-256 of every part and, with a key, the Ed25519 signature. It never
 * produces a bundle `readBundle` refuses. Output is deterministic for equal inputs and key.
 *
 * @throws {FormatError} naming `manifest` (with the field) or a part when the bundle would be invalid.
 * @throws {ShapeError} when a part's shape does not match its data.
 * @throws {OptionError} (`signingKey`) unless the key is an Ed25519 private key allowed to sign.
 * @example
 * ```ts
 * const bytes = await writeBundle({
 *   manifest,
 *   parts: [
 *     { name: 'backbone.topology', data: topologyJson },
 *     { name: 'backbone.weights', data: weightBytes },
 *     { name: 'head.weight', data: weights, shape: [featureDim, classes] },
 *     { name: 'head.bias', data: bias },
 *   ],
 * })
 * ```
 */
export async function writeBundle(input: BundleInput, options: WriteBundleOptions = {}): Promise<Uint8Array<ArrayBuffer>> {
  const problem = jsonValueProblem(input.manifest)
  if (problem !== null) throw new FormatError('manifest', `${problem.path}: ${problem.reason}`, { field: problem.path })
  const manifest = parseManifest(input.manifest)
  const parts = input.parts.map(encodePartInput)
  if (parts.some((part) => part.name === MANIFEST_PART)) throw new FormatError('manifest', 'is given as input.manifest, not as a part')
  const manifestPart: EncodedPart = { name: MANIFEST_PART, dtype: 'json', shape: [], data: encodeJson(input.manifest) }
  const all = [manifestPart, ...parts]
  checkManifestAgainstParts(
    manifest,
    all.map((part) => ({ ...part, length: part.data.length })),
  )
  return encodeBundle(all, options.signingKey === undefined ? {} : { signingKey: options.signingKey })
}
