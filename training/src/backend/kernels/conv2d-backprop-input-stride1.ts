import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core'
import { callKernel, disposeIntermediate, pair } from './call-kernel.js'

/**
 * A fast path for the input gradient of a stride-1 2-D convolution: a plain `Conv2D` of dy with
 * the filter rotated by 180 degrees and its channel axes swapped,
 * dx[b, y, x, ci] = sum_{kh,kw,co} dy_pad[b, y + kh, x + kw, co] * W[fh-1-kh, fw-1-kw, ci, co],
 * with dy padded by (fh - 1 - top) above and (fw - 1 - left) to the left. On wasm this replaces a
 * scalar loop with the SIMD convolution (~2x faster conv training, DESIGN section 3). Strides > 1,
 * NCHW and unusual paddings fall through to `fallback`, the backend's original kernel.
 *
 * @param backendName the backend to register for
 * @param fallback the kernel this one overrides (its setup function is run too)
 * @example
 * ```ts
 * const original = getKernel('Conv2DBackpropInput', 'wasm')
 * unregisterKernel('Conv2DBackpropInput', 'wasm')
 * registerKernel(conv2dBackpropInputStride1Config('wasm', original))
 * ```
 */
export function conv2dBackpropInputStride1Config(backendName: string, fallback: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const b = args.backend as KernelBackend
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo }
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = args.attrs as unknown as Conv2DBackpropInputAttrs
    const [strideHeight, strideWidth] = pair(strides)
    if (strideHeight !== 1 || strideWidth !== 1 || dataFormat === 'NCHW') return fallback.kernelFunc(args)
    const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], 1, 1, pad, dimRoundingMode, false, 'channelsLast')
    const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info
    const top = filterHeight - 1 - info.padInfo.top
    const left = filterWidth - 1 - info.padInfo.left
    const bottom = inHeight - outHeight - top + filterHeight - 1
    const right = inWidth - outWidth - left + filterWidth - 1
    if (top < 0 || left < 0 || bottom < 0 || right < 0) return fallback.kernelFunc(args)
    const flipped = callKernel('Reverse', b, backendName, { x: filter }, { dims: [0, 1] })
    const swapped = callKernel('Transpose', b, backendName, { x: flipped }, { perm: [0, 1, 3, 2] })
    disposeIntermediate(b, flipped)
    const out = callKernel('Conv2D', b, backendName, { x: dy, filter: swapped }, {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [1, 1],
    })
    disposeIntermediate(b, swapped)
    return out
  }
  const config: KernelConfig = { kernelName: Conv2DBackpropInput, backendName, kernelFunc }
  if (fallback.setupFunc !== undefined) config.setupFunc = fallback.setupFunc
  if (fallback.disposeFunc !== undefined) config.disposeFunc = fallback.disposeFunc
  return config
}
