import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core'
import { KernelError } from '@sd-dropout/sdk'
import { callKernel, disposeIntermediate, pair } from './call-kernel.js'

/**
 * The filter gradient of a depthwise 2-D convolution (channel multiplier M), built from the
 * backend's `Transpose`, `Reshape`, `DepthwiseConv2dNative`, `Slice` and `Sum` kernels:
 * dW[kh, kw, c, m] = sum_b sum_{i,j} x[b, i*sh + kh - top, j*sw + kw - left, c] * dy[b, i, j, c*M + m].
 * Folding the batch into the channels ([1, H, W, B*Ci]) turns the inner sum into one depthwise
 * correlation with dy ([Ho, Wo, B*Ci, M], dilated by the stride); a sum over B finishes it.
 *
 * @throws {KernelError} for dilations other than 1.
 * @example
 * ```ts
 * registerKernel(depthwiseConv2dBackpropFilterConfig('wasm'))
 * ```
 */
export function depthwiseConv2dBackpropFilterConfig(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const b = backend as KernelBackend
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo }
    const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs
    const [dilationHeight, dilationWidth] = pair(dilations)
    if (dilationHeight !== 1 || dilationWidth !== 1) throw new KernelError('DepthwiseConv2dNativeBackpropFilter: dilations must be 1', { dilationHeight, dilationWidth })
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, true)
    const [strideHeight, strideWidth] = pair(strides)
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info
    const multiplier = filterShape[3]
    const { top, left } = info.padInfo
    const bottom = Math.max(0, filterHeight - inHeight - top + (outHeight - 1) * strideHeight)
    const right = Math.max(0, filterWidth - inWidth - left + (outWidth - 1) * strideWidth)
    const xT = callKernel('Transpose', b, backendName, { x }, { perm: [1, 2, 0, 3] })
    const xFolded = callKernel('Reshape', b, backendName, { x: xT }, { shape: [1, inHeight, inWidth, batchSize * inChannels] })
    const dyT = callKernel('Transpose', b, backendName, { x: dy }, { perm: [1, 2, 0, 3] })
    const dyFolded = callKernel('Reshape', b, backendName, { x: dyT }, { shape: [outHeight, outWidth, batchSize * inChannels, multiplier] })
    const correlation = callKernel('DepthwiseConv2dNative', b, backendName, { x: xFolded, filter: dyFolded }, {
      strides: [1, 1],
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
      dilations: [strideHeight, strideWidth],
    })
    disposeIntermediate(b, xT, xFolded, dyT, dyFolded)
    let cropped = correlation
    if (correlation.shape[1] !== filterHeight || correlation.shape[2] !== filterWidth) {
      cropped = callKernel('Slice', b, backendName, { x: correlation }, { begin: [0, 0, 0, 0], size: [1, filterHeight, filterWidth, -1] })
      disposeIntermediate(b, correlation)
    }
    const perBatch = callKernel('Reshape', b, backendName, { x: cropped }, { shape: [filterHeight, filterWidth, batchSize, inChannels * multiplier] })
    const summed = callKernel('Sum', b, backendName, { x: perBatch }, { axis: [2], keepDims: false })
    disposeIntermediate(b, cropped, perBatch)
    const out = callKernel('Reshape', b, backendName, { x: summed }, { shape: [...filterShape] })
    disposeIntermediate(b, summed)
    return out
  }
  return { kernelName: DepthwiseConv2dNativeBackpropFilter, backendName, kernelFunc }
}
