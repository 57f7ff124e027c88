import { readFileSync } from 'node:fs'
import { basename, dirname, resolve } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { FormatError, InputError } from '@sd-dropout/sdk'

/** Bytes per value of each stored dtype (a quantised weight stores its quantisation dtype). */
const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 }

/**
 * Reads a tfjs LayersModel saved as files (`model.json` plus its weight shards, e.g. from the
 * TensorFlow.js converter `tensorflowjs_converter --input_format keras`, or tfjs `model.save`)
 * without tfjs-node: the JSON's `modelTopology` and `weightsManifest`, then every shard named in
 * `paths` (relative to the JSON's folder) concatenated in manifest order, checked against the
 * byte size its weight specs need, as in-memory model artifacts for `tf.io.fromMemory`.
 *
 * @throws {InputError} for a missing file; {FormatError} naming the file when the JSON is invalid,
 *   is not a layers model (a graph model has no `modelTopology.model_config`... ) or the shards hold
 *   fewer or more bytes than the weights need.
 * @example
 * ```ts
 * const artifacts = readLayersModelArtifacts('keras-model/model.json')
 * const model = await tfl.loadLayersModel(tf.io.fromMemory(artifacts))
 * ```
 */
export function readLayersModelArtifacts(modelJsonPath: string): tf.io.ModelArtifacts {
  const file = basename(modelJsonPath)
  let json: unknown
  try {
    json = JSON.parse(readFileSync(modelJsonPath, 'utf8'))
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') throw new InputError(`model file not found: ${modelJsonPath}`, { path: modelJsonPath })
    if (error instanceof SyntaxError) throw new FormatError(file, `not valid JSON: ${error.message}`)
    throw new InputError(`cannot read ${modelJsonPath}: ${(error as Error).message}`, { path: modelJsonPath })
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new FormatError(file, 'must hold a JSON object with modelTopology and weightsManifest')
  const model = json as Partial<tf.io.ModelJSON> & { format?: string }
  if (model.format === 'graph-model') throw new FormatError(file, 'is a tfjs graph model (format "graph-model"); import takes a layers model (convert Keras models with --output_format tfjs_layers_model)')
  if (typeof model.modelTopology !== 'object' || model.modelTopology === null) throw new FormatError(file, 'has no modelTopology: not a tfjs layers model')
  if (!Array.isArray(model.weightsManifest)) throw new FormatError(file, 'has no weightsManifest: its weights cannot be found')
  const weightSpecs: tf.io.WeightsManifestEntry[] = []
  const shards: Uint8Array[] = []
  for (const [index, group] of (model.weightsManifest as unknown[]).entries()) {
    if (!isManifestGroup(group)) throw new FormatError(file, `weightsManifest[${index}] must be { paths: string[], weights: [{ name, shape, dtype }] }`)
    const groupBytes = group.paths.map((path) => readShard(resolve(dirname(modelJsonPath), path)))
    const have = groupBytes.reduce((n, bytes) => n + bytes.length, 0)
    const need = group.weights.reduce((n, spec) => n + byteSize(spec, file), 0)
    if (have !== need) {
      throw new FormatError(group.paths.join(', '), `holds ${have} bytes, but the weights ${group.weights.map((w) => w.name).join(', ')} declared in ${file} need ${need}${have < need ? ' (truncated?)' : ''}`, { have, need })
    }
    weightSpecs.push(...group.weights)
    shards.push(...groupBytes)
  }
  const weightData = new Uint8Array(shards.reduce((n, bytes) => n + bytes.length, 0))
  let offset = 0
  for (const bytes of shards) {
    weightData.set(bytes, offset)
    offset += bytes.length
  }
  return { modelTopology: model.modelTopology, weightSpecs, weightData: weightData.buffer, ...(model.format === undefined ? {} : { format: model.format }) }
}

/**
 * Loads a tfjs LayersModel from its `model.json` (see {@link readLayersModelArtifacts}) through
 * `tf.io.fromMemory` on the active tfjs backend.
 *
 * @throws the errors of {@link readLayersModelArtifacts}; {FormatError} when tfjs cannot build the model (an unknown layer class, mismatched weights).
 * @example
 * ```ts
 * const model = await loadLayersModelFile('keras-model/model.json')
 * ```
 */
export async function loadLayersModelFile(modelJsonPath: string): Promise<tfl.LayersModel> {
  const artifacts = readLayersModelArtifacts(modelJsonPath)
  try {
    return await tfl.loadLayersModel(tf.io.fromMemory(artifacts))
  } catch (error) {
    throw new FormatError(basename(modelJsonPath), `tfjs cannot build this layers model: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error })
  }
}

function readShard(path: string): Uint8Array {
  try {
    return readFileSync(path)
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputError(code === 'ENOENT' ? `weights file not found: ${path}` : `cannot read ${path}: ${(error as Error).message}`, { path })
  }
}

function byteSize(spec: tf.io.WeightsManifestEntry, file: string): number {
  const dtype = spec.quantization?.dtype ?? spec.dtype
  const bytes = BYTES[dtype]
  if (bytes === undefined) throw new FormatError(file, `weight ${spec.name} has dtype ${dtype}, which import does not read`)
  return bytes * spec.shape.reduce((a, b) => a * b, 1)
}

/** Whether a weightsManifest entry has the fields the reader uses (paths, and named, shaped weights). */
function isManifestGroup(group: unknown): group is tf.io.WeightsManifestConfig[number] {
  if (typeof group !== 'object' || group === null) return false
  const { paths, weights } = group as { paths?: unknown; weights?: unknown }
  return (
    Array.isArray(paths) &&
    paths.every((path) => typeof path === 'string') &&
    Array.isArray(weights) &&
    weights.every((w) => typeof w === 'object' && w !== null && typeof (w as { name?: unknown }).name === 'string' && Array.isArray((w as { shape?: unknown }).shape))
  )
}
