import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core'
import { KernelError } from '@sd-dropout/sdk'
import { callKernel, disposeIntermediate, pair } from './call-kernel.js'

/**
 * The filter gradient of a 2-D convolution, built from the backend's own `Transpose`, `Conv2D`
 * and `Slice` kernels (the wasm backend has none).
 *
 * dW[kh, kw, ci, co] = sum_{b,i,j} x[b, i*sh + kh - top, j*sw + kw - left, ci] * dy[b, i, j, co]
 * is itself a correlation: of x^T (batch <-> channels, [Ci, H, W, B]) with dy^T ([Ho, Wo, B, Co])
 * used as a filter dilated by the stride, giving [Ci, fh, fw, Co], transposed to [fh, fw, Ci, Co].
 *
 * @param backendName the backend whose kernels it calls and for which it registers
 * @example
 * ```ts
 * registerKernel(conv2dBackpropFilterConfig('wasm'))
 * ```
 */
export function conv2dBackpropFilterConfig(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const b = backend as KernelBackend
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo }
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs
    if (dataFormat === 'NCHW') throw new KernelError('Conv2DBackpropFilter: only NHWC is supported', { dataFormat })
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast')
    const [strideHeight, strideWidth] = pair(strides)
    const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info
    const { top, left } = info.padInfo
    // Pad so the correlation yields exactly fh x fw where possible; larger results are sliced below.
    const bottom = Math.max(0, filterHeight - inHeight - top + (outHeight - 1) * strideHeight)
    const right = Math.max(0, filterWidth - inWidth - left + (outWidth - 1) * strideWidth)
    const xT = callKernel('Transpose', b, backendName, { x }, { perm: [3, 1, 2, 0] })
    const dyT = callKernel('Transpose', b, backendName, { x: dy }, { perm: [1, 2, 0, 3] })
    const correlation = callKernel('Conv2D', b, backendName, { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dataFormat: 'NHWC',
      dilations: [strideHeight, strideWidth],
    })
    disposeIntermediate(b, xT, dyT)
    let cropped = correlation
    if (correlation.shape[1] !== filterHeight || correlation.shape[2] !== filterWidth) {
      cropped = callKernel('Slice', b, backendName, { x: correlation }, { begin: [0, 0, 0, 0], size: [-1, filterHeight, filterWidth, -1] })
      disposeIntermediate(b, correlation)
    }
    const out = callKernel('Transpose', b, backendName, { x: cropped }, { perm: [1, 2, 0, 3] })
    disposeIntermediate(b, cropped)
    return out
  }
  return { kernelName: Conv2DBackpropFilter, backendName, kernelFunc }
}
