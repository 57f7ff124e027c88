import type { ImagePreprocessing } from '@sd-dropout/sdk'

/**
 * Draws a model-space input (height x width x channels, HWC float32, as `imageToInput` returns)
 * back as pixels: v = (x * std[c] + mean[c]) / scale, clamped to 0..255 (gray repeated over RGB).
 * What is shown is exactly what the model is given, after inversion and centring.
 *
 * @example
 * ```ts
 * showModelInput(previewCanvas, imageToInput(png, spec), spec)
 * ```
 */
export function showModelInput(canvas: HTMLCanvasElement, input: Float32Array, spec: ImagePreprocessing): void {
  const context = canvas.getContext('2d')
  if (context === null) return
  canvas.width = spec.width
  canvas.height = spec.height
  const image = context.createImageData(spec.width, spec.height)
  for (let pixel = 0; pixel < spec.width * spec.height; pixel++) {
    for (let rgb = 0; rgb < 3; rgb++) {
      const c = spec.channels === 1 ? 0 : rgb
      const x = input[pixel * spec.channels + c] ?? 0
      image.data[pixel * 4 + rgb] = Math.min(255, Math.max(0, Math.round((x * (spec.std[c] ?? 1) + (spec.mean[c] ?? 0)) / spec.scale)))
    }
    image.data[pixel * 4 + 3] = 255
  }
  context.putImageData(image, 0, 0)
}

/**
 * Blanks the preview.
 *
 * @example
 * ```ts
 * clearModelInput(previewCanvas)
 * ```
 */
export function clearModelInput(canvas: HTMLCanvasElement): void {
  canvas.getContext('2d')?.clearRect(0, 0, canvas.width, canvas.height)
}
