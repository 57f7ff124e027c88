import type { Manifest } from '../format/manifest.js'
import type { HeadKernel } from '../kernels/head-kernel.js'
import type { BackboneArtifacts } from '../model/backbone-artifacts.js'
import type { InputBatch, ModelInput } from '../model/model-input.js'
import type { HeadGradientKernelProvider } from './head-gradient-kernel-provider.js'

/**
 * What a loaded model keeps so it can be fine-tuned: its bundle's manifest, the backbone parts
 * exactly as stored (a fine-tuned bundle reuses them unchanged), its head, the head kernel it is
 * served with (for the re-calibration's MC statistics), the gradient kernels its platform offers,
 * and its backbone as a function. `SdModel` builds it; nothing else needs to.
 */
export interface FineTuneParent {
  readonly manifest: Manifest
  /** SHA-256 (hex) of the parent bundle file. */
  readonly sha256: string
  /** The `backbone.topology` (parsed JSON), weight specs and `backbone.weights` bytes of the bundle. */
  readonly backbone: BackboneArtifacts
  /** The bundle's head W [D, C] and b [C]. */
  readonly headWeight: Float32Array
  readonly headBias: Float32Array
  readonly headKernel: HeadKernel
  readonly gradientKernel: HeadGradientKernelProvider
  /**
   * Validates inputs (shapes, finiteness, image decoding) into a model-space batch.
   *
   * @throws {ShapeError} / {InputError} as `predict` does; {InputError} above `maxItems` items.
   */
  inputBatch(inputs: ModelInput, maxItems: number): InputBatch
  /** Runs the frozen backbone: pooled features h, B x D. */
  backboneFeatures(batch: InputBatch): Promise<Float32Array>
}
