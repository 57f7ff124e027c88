import { randomUUID } from 'node:crypto'
import { open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** A file opened for writing (the part of `FileHandle` the atomic writer uses). */
export interface WritableFile {
  /** Writes all of `bytes` at the current position. */
  write(bytes: Uint8Array): Promise<void>
  /** Flushes the file's data and metadata to the device (fsync). */
  sync(): Promise<void>
  close(): Promise<void>
}

/** The file-system operations the atomic writer needs; a seam so tests can inject failures. */
export interface AtomicFileSystem {
  /** Creates `path`, failing if it exists (`wx`). */
  createExclusive(path: string): Promise<WritableFile>
  rename(from: string, to: string): Promise<void>
  /** Removes `path`; a missing file is not an error. */
  remove(path: string): Promise<void>
  /** fsyncs a directory so a rename in it is durable (best effort; may be unsupported). */
  syncDirectory(path: string): Promise<void>
}

/** {@link AtomicFileSystem} on `node:fs/promises`. */
export const nodeFileSystem: AtomicFileSystem = {
  async createExclusive(path) {
    const handle = await open(path, 'wx', 0o644)
    return {
      write: async (bytes) => handle.writeFile(bytes),
      sync: async () => handle.sync(),
      close: async () => handle.close(),
    }
  },
  rename: async (from, to) => rename(from, to),
  remove: async (path) => rm(path, { force: true }),
  async syncDirectory(path) {
    const handle = await open(path, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  },
}

/**
 * Writes `bytes` to `path` atomically: into a fresh temp file `.<name>.<uuid>.tmp` in the same
 * directory, fsync, close, rename over `path`, then fsync the directory (best effort). Readers see
 * either the old file or the complete new one; on any failure the temp file is removed, `path` is
 * untouched and the original error is rethrown.
 *
 * @example
 * ```ts
 * await writeFileAtomic('models/mnist.sdd', bytes)
 * ```
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array, fileSystem: AtomicFileSystem = nodeFileSystem): Promise<void> {
  const directory = dirname(path)
  const temporary = join(directory, `.${basename(path)}.${randomUUID()}.tmp`)
  let file: WritableFile | null = null
  try {
    file = await fileSystem.createExclusive(temporary)
    await file.write(bytes)
    await file.sync()
    const closing = file
    file = null
    await closing.close()
    await fileSystem.rename(temporary, path)
  } catch (error) {
    if (file !== null) await file.close().catch(() => undefined)
    await fileSystem.remove(temporary).catch(() => undefined)
    throw error
  }
  // The rename already happened: a directory that cannot be fsynced (some platforms) must not turn
  // a completed write into a reported failure.
  await fileSystem.syncDirectory(directory).catch(() => undefined)
}
