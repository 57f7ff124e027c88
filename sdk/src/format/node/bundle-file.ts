import { readFile } from 'node:fs/promises'
import { readBundle, type ReadBundleOptions } from '../read-bundle.js'
import type { ModelBundle } from '../model-bundle.js'
import { sha256Hex } from '../sha256.js'
import { writeBundle, type BundleInput, type WriteBundleOptions } from '../write-bundle.js'
import { nodeFileSystem, writeFileAtomic, type AtomicFileSystem } from './atomic-write.js'

/** What {@link writeBundleFile} wrote. */
export interface WrittenBundleFile {
  readonly path: string
  /** File size in bytes. */
  readonly bytes: number
  /** SHA-256 (hex) of the file, equal to `readBundle(...).sha256`. */
  readonly sha256: string
}

/**
 * Encodes a bundle with `writeBundle` and writes it to `path` atomically (temp file in the same
 * directory, fsync, rename): a crash or error never leaves a partial file, and an existing file at
 * `path` stays intact unless the new one is complete. Node only.
 *
 * @throws the errors of `writeBundle`, or the file system's error (the temp file is removed).
 * @example
 * ```ts
 * const { sha256 } = await writeBundleFile('models/mnist.sdd', { manifest, parts })
 * ```
 */
export async function writeBundleFile(path: string, input: BundleInput, options: WriteBundleOptions = {}, fileSystem: AtomicFileSystem = nodeFileSystem): Promise<WrittenBundleFile> {
  const bytes = await writeBundle(input, options)
  await writeFileAtomic(path, bytes, fileSystem)
  return { path, bytes: bytes.length, sha256: await sha256Hex(bytes) }
}

/**
 * Reads and verifies the bundle file at `path` (see `readBundle`). Node only.
 *
 * @example
 * ```ts
 * const bundle = await readBundleFile('models/mnist.sdd', { publicKey })
 * ```
 */
export async function readBundleFile(path: string, options: ReadBundleOptions = {}): Promise<ModelBundle> {
  return readBundle(await readFile(path), options)
}
