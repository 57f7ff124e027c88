import type { InputSpec } from '@sd-dropout/sdk'

/**
 * Whether an input spec maps [0, 1] pixel values to model space unchanged: a `vector` model, or an
 * image spec with `scale` 1/255, mean 0 and std 1 (the MNIST bundles).
 *
 * @example
 * ```ts
 * isIdentityTransform(bundle.manifest.input) // true for the default model
 * ```
 */
export function isIdentityTransform(spec: InputSpec): boolean {
  const image = spec.image
  if (image === null) return true
  return Math.abs(image.scale * 255 - 1) < 1e-12 && image.mean.every((m) => m === 0) && image.std.every((s) => s === 1)
}

/**
 * Maps images in [0, 1] pixel space (what the data loaders produce: byte / 255) to the model space
 * of a bundle, as the SDK's image path does for a decoded image: x_model = (x * 255 * scale -
 * mean[c]) / std[c], c = index mod channels. Returns the input itself when the transform is the
 * identity (so the MNIST models see bit-identical values), else a new array. Vector inputs are
 * returned unchanged (the SDK applies no preprocessing to numeric inputs).
 *
 * @example
 * ```ts
 * const inputs = toModelSpace(test.images, model.info.input)
 * ```
 */
export function toModelSpace(pixels: Float32Array, spec: InputSpec): Float32Array {
  const image = spec.image
  if (image === null || isIdentityTransform(spec)) return pixels
  const channels = image.channels
  const factor = 255 * image.scale
  const out = new Float32Array(pixels.length)
  for (let k = 0; k < pixels.length; k++) {
    const c = k % channels
    out[k] = ((pixels[k] as number) * factor - (image.mean[c] as number)) / (image.std[c] as number)
  }
  return out
}

/**
 * The inverse of {@link toModelSpace}: x = (x_model * std[c] + mean[c]) / (255 * scale). Corruptions,
 * synthetic OOD sets and the clipping of adversarial inputs work in pixel space and go through it.
 *
 * @example
 * ```ts
 * const pixels = fromModelSpace(test.images, input) // back in [0, 1]
 * ```
 */
export function fromModelSpace(values: Float32Array, spec: InputSpec): Float32Array {
  const image = spec.image
  if (image === null || isIdentityTransform(spec)) return values
  const channels = image.channels
  const factor = 255 * image.scale
  const out = new Float32Array(values.length)
  for (let k = 0; k < values.length; k++) {
    const c = k % channels
    out[k] = ((values[k] as number) * (image.std[c] as number) + (image.mean[c] as number)) / factor
  }
  return out
}
