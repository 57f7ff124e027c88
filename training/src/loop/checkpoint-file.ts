import { readFile } from 'node:fs/promises'
import { FormatError, InputError, sha256Hex, writeFileAtomic, type JsonValue } from '@sd-dropout/sdk'

/** What a checkpoint file holds: JSON state plus named float32 tensors. */
export interface CheckpointContents {
  readonly state: JsonValue
  readonly tensors: Readonly<Record<string, Float32Array>>
}

const MAGIC = 'SDDCKPT1'
const DIGEST_LENGTH = 64

/**
 * Encodes a checkpoint: `SDDCKPT1` | uint32 LE header length | UTF-8 JSON header
 * `{ state, tensors: [{ name, offset, length }] }` | float32 LE payload | SHA-256 (64 hex chars)
 * of everything before it. The digest makes any change or truncation detectable on load.
 *
 * @example
 * ```ts
 * const bytes = await encodeCheckpoint({ state: { epoch: 1 }, tensors: { w: new Float32Array(4) } })
 * ```
 */
export async function encodeCheckpoint(contents: CheckpointContents): Promise<Uint8Array> {
  const entries: { name: string; offset: number; length: number }[] = []
  let offset = 0
  for (const [name, values] of Object.entries(contents.tensors)) {
    entries.push({ name, offset, length: values.length })
    offset += values.length
  }
  const header = new TextEncoder().encode(JSON.stringify({ state: contents.state, tensors: entries }))
  const bodyLength = 8 + 4 + header.length + 4 * offset
  const bytes = new Uint8Array(bodyLength + DIGEST_LENGTH)
  bytes.set(new TextEncoder().encode(MAGIC), 0)
  const view = new DataView(bytes.buffer)
  view.setUint32(8, header.length, true)
  bytes.set(header, 12)
  let position = 12 + header.length
  for (const values of Object.values(contents.tensors)) {
    for (let i = 0; i < values.length; i++) view.setFloat32(position + 4 * i, values[i] as number, true)
    position += 4 * values.length
  }
  bytes.set(new TextEncoder().encode(await sha256Hex(bytes.subarray(0, bodyLength))), bodyLength)
  return bytes
}

/**
 * Decodes and verifies a checkpoint written by {@link encodeCheckpoint}.
 *
 * @param file name for messages
 * @throws {FormatError} naming the file for a bad magic, a truncated file or a digest mismatch.
 * @example
 * ```ts
 * const { state, tensors } = await decodeCheckpoint(bytes, 'run.ckpt')
 * ```
 */
export async function decodeCheckpoint(bytes: Uint8Array, file: string): Promise<CheckpointContents> {
  if (bytes.length < 12 + DIGEST_LENGTH || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new FormatError(file, 'not an sd-dropout training checkpoint (bad magic or too short)')
  }
  const bodyLength = bytes.length - DIGEST_LENGTH
  const recorded = new TextDecoder().decode(bytes.subarray(bodyLength))
  const actual = await sha256Hex(bytes.subarray(0, bodyLength))
  if (recorded !== actual) throw new FormatError(file, 'integrity check failed: the checkpoint is truncated or was modified (SHA-256 mismatch)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = view.getUint32(8, true)
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as {
    state: JsonValue
    tensors: { name: string; offset: number; length: number }[]
  }
  const payload = 12 + headerLength
  const tensors: Record<string, Float32Array> = {}
  for (const { name, offset, length } of header.tensors) {
    const start = payload + 4 * offset
    if (start + 4 * length > bodyLength) throw new FormatError(file, `tensor ${name} runs past the end of the payload`)
    const values = new Float32Array(length)
    for (let i = 0; i < length; i++) values[i] = view.getFloat32(start + 4 * i, true)
    tensors[name] = values
  }
  return { state: header.state, tensors }
}

/**
 * Writes a checkpoint atomically (temporary file, fsync, rename): a crash or Ctrl-C during the
 * write leaves the previous checkpoint intact.
 *
 * @example
 * ```ts
 * await saveCheckpointFile('model.sdd.ckpt', contents)
 * ```
 */
export async function saveCheckpointFile(path: string, contents: CheckpointContents): Promise<void> {
  await writeFileAtomic(path, await encodeCheckpoint(contents))
}

/**
 * Reads and verifies a checkpoint file.
 *
 * @throws {InputError} when the file does not exist; {@link FormatError} when it is corrupt.
 * @example
 * ```ts
 * const contents = await loadCheckpointFile('model.sdd.ckpt')
 * ```
 */
export async function loadCheckpointFile(path: string): Promise<CheckpointContents> {
  let bytes: Uint8Array
  try {
    bytes = await readFile(path)
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputError(code === 'ENOENT' ? `checkpoint not found: ${path}` : `cannot read checkpoint ${path}: ${(error as Error).message}`, { path })
  }
  return decodeCheckpoint(bytes, path)
}
