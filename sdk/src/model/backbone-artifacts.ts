import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { FormatError } from '../errors.js'
import type { JsonValue, WeightSpec } from '../format/manifest.js'

/** A LayersModel as bundle parts: its topology JSON, weight specs and concatenated weights. */
export interface BackboneArtifacts {
  /** `modelTopology` of tfjs's model JSON (goes into the `backbone.topology` json part). */
  readonly topology: JsonValue
  /** Weight manifest entries, in the order of `weights`. */
  readonly weightSpecs: readonly WeightSpec[]
  /** Little-endian weight values, concatenated (the `backbone.weights` bytes part). */
  readonly weights: Uint8Array
}

/**
 * Serialises a tfjs LayersModel (the backbone) in memory through `tf.io.withSaveHandler`, the form
 * bundles store and `loadBackbone` reads back bit-identically. Works on every runtime (no file I/O).
 *
 * @throws {FormatError} (part `backbone.topology`) when tfjs cannot serialise the model.
 * @example
 * ```ts
 * const { topology, weightSpecs, weights } = await serializeBackbone(backbone)
 * ```
 */
export async function serializeBackbone(model: tfl.LayersModel): Promise<BackboneArtifacts> {
  let captured: tf.io.ModelArtifacts | null = null
  await model.save(
    tf.io.withSaveHandler((artifacts) => {
      captured = artifacts
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })
    }),
  )
  const artifacts = captured as tf.io.ModelArtifacts | null
  if (artifacts === null || artifacts.modelTopology === undefined || artifacts.weightSpecs === undefined) {
    throw new FormatError('backbone.topology', 'tfjs produced no topology or weights for this model')
  }
  const weightData = artifacts.weightData
  const buffer = weightData === undefined ? new ArrayBuffer(0) : Array.isArray(weightData) ? concatenate(weightData) : weightData
  const weightSpecs = artifacts.weightSpecs.map((spec) => {
    if (spec.dtype !== 'float32' && spec.dtype !== 'int32') throw new FormatError('backbone.weights', `weight ${spec.name} has dtype ${spec.dtype}; bundles hold float32 and int32 only`)
    if (spec.quantization !== undefined) throw new FormatError('backbone.weights', `weight ${spec.name} is quantised; bundles hold plain weights`)
    return { name: spec.name, shape: [...spec.shape], dtype: spec.dtype }
  })
  return { topology: artifacts.modelTopology as JsonValue, weightSpecs, weights: new Uint8Array(buffer) }
}

function concatenate(buffers: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(buffers.reduce((n, b) => n + b.byteLength, 0))
  let offset = 0
  for (const b of buffers) {
    out.set(new Uint8Array(b), offset)
    offset += b.byteLength
  }
  return out.buffer
}
