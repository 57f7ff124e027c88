import { readdirSync, statSync, type Stats } from 'node:fs'
import { extname, join } from 'node:path'
import { decodeImage, InputError, preprocessImage, SdDropoutError, ShapeError, type ImagePreprocessing } from '@sd-dropout/sdk'
import type { Dataset } from './dataset.js'
import { readDataFile } from './idx-dataset.js'

/** File extensions read as images (case-insensitive). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'] as const

/** Options of {@link loadImageFolder}. */
export interface ImageFolderOptions {
  /** Output size; when omitted, every image must have the size of the first one. When given, images are resized (the SDK's antialiased bilinear). */
  readonly height?: number
  readonly width?: number
  /** 1 (luma) or 3 (RGB); default: the channels of the first image. */
  readonly channels?: 1 | 3
  /** Invert (v -> 255 - v) and centre like MNIST digits, as a bundle's image spec says (default false). */
  readonly invert?: boolean
  readonly mnistCentering?: boolean
  /** The class names to map folders to (e.g. the training set's, when loading a test folder); default: the sorted folder names. */
  readonly labels?: readonly string[]
}

/** A data set read from a folder of images, with its class names. */
export interface ImageFolderDataset extends Dataset {
  /** Class names, index = label: the sorted folder names (or the given `labels`). */
  readonly labelNames: readonly string[]
}

/**
 * Reads a folder with one sub-folder per class (`root/cat/1.png`, `root/dog/a.jpg`, ...) into a
 * data set of H x W x C images in [0, 1]. Every file is decoded and converted by the SDK's one
 * image path (`decodeImage`, then `preprocessImage` with scale 1/255, mean 0, std 1, and the
 * given inversion and centring), so the data are exactly the pixels the SDK computes when serving.
 * Classes are the sub-folders sorted by name (code-point order); items are read class by class,
 * files sorted by name. Hidden entries (names starting with `.`) are skipped.
 *
 * @throws {InputError} naming the path for a missing folder, a file outside a class folder, a
 *   file that is not .png/.jpg/.jpeg, an empty class folder, an undecodable image, or (with
 *   `labels`) a folder that names no known class.
 * @throws {ShapeError} naming the file when sizes differ and no size was given.
 * @example
 * ```ts
 * const train = loadImageFolder('photos/train', { height: 32, width: 32, channels: 3 })
 * train.labelNames // ['cat', 'dog']
 * ```
 */
export function loadImageFolder(root: string, options: ImageFolderOptions = {}): ImageFolderDataset {
  const folders = listEntries(root).filter((name) => {
    const path = join(root, name)
    if (entryStat(path).isDirectory()) return true
    throw new InputError(`${path}: a folder of images holds one sub-folder per class; found a file at its top level`, { path })
  })
  if (folders.length === 0) throw new InputError(`${root}: no class folders (expected one sub-folder per class holding .png/.jpg files)`, { path: root })
  const labelNames = options.labels ?? folders
  const files: { path: string; label: number }[] = []
  for (const folder of folders) {
    const label = labelNames.indexOf(folder)
    if (label < 0) throw new InputError(`${join(root, folder)}: class "${folder}" is not one of the model's classes (${labelNames.join(', ')})`, { path: join(root, folder) })
    const names = listEntries(join(root, folder))
    if (names.length === 0) throw new InputError(`${join(root, folder)}: empty class folder`, { path: join(root, folder) })
    for (const name of names) {
      const path = join(root, folder, name)
      if (!(IMAGE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase()) || !entryStat(path).isFile()) {
        throw new InputError(`${path}: not a PNG or JPEG image (class folders hold .png, .jpg or .jpeg files)`, { path })
      }
      files.push({ path, label })
    }
  }
  let spec: ImagePreprocessing | null = null
  let images = new Float32Array(0)
  const labels = new Int32Array(files.length)
  files.forEach(({ path, label }, i) => {
    const decoded = decode(path)
    if (spec === null) {
      const channels = options.channels ?? decoded.channels
      const height = options.height ?? decoded.height
      const width = options.width ?? decoded.width
      spec = { channels, height, width, scale: 1 / 255, mean: new Array<number>(channels).fill(0), std: new Array<number>(channels).fill(1), invert: options.invert ?? false, mnistCentering: options.mnistCentering ?? false }
      images = new Float32Array(files.length * height * width * channels)
    } else if (options.height === undefined && (decoded.height !== spec.height || decoded.width !== spec.width)) {
      throw new ShapeError(`image ${path}`, `${spec.width} x ${spec.height} pixels like ${files[0]?.path} (or give --image-size to resize every image)`, `${decoded.width} x ${decoded.height}`, { path })
    }
    const size = spec.height * spec.width * spec.channels
    images.set(preprocessImage(decoded, spec), i * size)
    labels[i] = label
  })
  const shape = spec as ImagePreprocessing | null
  if (shape === null) throw new InputError(`${root}: no images`, { path: root })
  return { name: root, images, labels, count: files.length, itemShape: [shape.height, shape.width, shape.channels], classes: labelNames.length, labelNames }
}

function listEntries(path: string): string[] {
  let names: string[]
  try {
    names = readdirSync(path)
  } catch (error) {
    const code = (error as { code?: string }).code
    throw new InputError(code === 'ENOENT' ? `folder not found: ${path}` : code === 'ENOTDIR' ? `${path}: not a folder (--data images takes a folder with one sub-folder per class)` : `cannot read ${path}: ${(error as Error).message}`, { path })
  }
  return names.filter((name) => !name.startsWith('.')).sort()
}

function decode(path: string): ReturnType<typeof decodeImage> {
  try {
    return decodeImage(readDataFile(path))
  } catch (error) {
    if (error instanceof SdDropoutError && !error.message.includes(path)) throw new InputError(`${path}: ${error.message}`, { path }, { cause: error })
    throw error
  }
}

/** `statSync` with a typed error for an entry that cannot be read (e.g. a dangling symbolic link). */
function entryStat(path: string): Stats {
  try {
    return statSync(path)
  } catch (error) {
    throw new InputError(`${path}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}; a broken symbolic link?)`, { path })
  }
}
