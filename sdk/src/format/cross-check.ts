import { FormatError } from '../errors.js'
import type { PartDtype } from './bundle-layout.js'
import type { Manifest } from './manifest.js'

/** What the cross-check needs to know about a part. */
export interface PartDescription {
  readonly name: string
  readonly dtype: PartDtype
  readonly shape: readonly number[]
  /** Bytes. */
  readonly length: number
}

/**
 * Checks a (schema-valid) manifest against the parts of its bundle: every part it names exists
 * with the right dtype; `head.weightPart` is float32 [D, C], `head.biasPart` [C],
 * `ood.mahalanobis.meansPart` [C, D] and `precisionPart` [D, D] (D = head.inputDim, C =
 * head.classes); `backbone.topologyPart` is json; `backbone.weightsPart` is bytes whose length is
 * the sum of 4 * product(shape) over `backbone.weightSpecs` (float32 and int32 both take 4 bytes).
 * Parts the manifest does not name are allowed (a newer minor version may add some).
 *
 * @throws {FormatError} naming `manifest` (with `details.field`) for a part that does not exist or
 *   has the wrong dtype; naming the part for a wrong shape or length.
 * @example
 * ```ts
 * checkManifestAgainstParts(manifest, header.entries)
 * ```
 */
export function checkManifestAgainstParts(manifest: Manifest, parts: readonly PartDescription[]): void {
  const byName = new Map(parts.map((part) => [part.name, part]))
  const find = (field: string, name: string, dtype: PartDtype): PartDescription => {
    const part = byName.get(name)
    if (part === undefined) throw new FormatError('manifest', `${field}: names part ${JSON.stringify(name)}, which the bundle lacks`, { field })
    if (part.dtype !== dtype) throw new FormatError('manifest', `${field}: part ${JSON.stringify(name)} is ${part.dtype}, expected ${dtype}`, { field })
    return part
  }
  const { inputDim, classes } = manifest.head
  find('backbone.topologyPart', manifest.backbone.topologyPart, 'json')
  const weights = find('backbone.weightsPart', manifest.backbone.weightsPart, 'bytes')
  const weightBytes = manifest.backbone.weightSpecs.reduce((sum, spec) => sum + 4 * spec.shape.reduce((product, dim) => product * dim, 1), 0)
  if (weights.length !== weightBytes) {
    throw new FormatError(weights.name, `has ${weights.length} bytes, backbone.weightSpecs need ${weightBytes}`, { expected: weightBytes, received: weights.length })
  }
  expectShape(find('head.weightPart', manifest.head.weightPart, 'float32'), [inputDim, classes], '[D, C]')
  expectShape(find('head.biasPart', manifest.head.biasPart, 'float32'), [classes], '[C]')
  const mahalanobis = manifest.ood.mahalanobis
  if (mahalanobis !== null) {
    expectShape(find('ood.mahalanobis.meansPart', mahalanobis.meansPart, 'float32'), [classes, inputDim], '[C, D]')
    expectShape(find('ood.mahalanobis.precisionPart', mahalanobis.precisionPart, 'float32'), [inputDim, inputDim], '[D, D]')
  }
}

function expectShape(part: PartDescription, expected: readonly number[], symbolic: string): void {
  if (part.shape.length !== expected.length || part.shape.some((dim, axis) => dim !== expected[axis])) {
    throw new FormatError(part.name, `shape [${part.shape.join(', ')}] should be ${symbolic} = [${expected.join(', ')}] (D = head.inputDim, C = head.classes)`, {
      expected,
      received: part.shape,
    })
  }
}
