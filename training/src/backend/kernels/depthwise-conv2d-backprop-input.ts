import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core'
import { KernelError } from '@sd-dropout/sdk'
import { callKernel, disposeIntermediate, pair } from './call-kernel.js'

/**
 * The input gradient of a depthwise 2-D convolution (channel multiplier M), built from existing
 * kernels: dx[b, y, x, c] = sum_{kh,kw,m} dy[b, (y + top - kh) / sh, (x + left - kw) / sw, c*M + m] * W[kh, kw, c, m].
 * Stride 1: a depthwise correlation of dy with the 180-degree rotated filter, then a sum over m.
 * Larger strides: the filter is expanded to a block-diagonal full filter [fh, fw, Ci, Ci*M]
 * (W times an identity over channel pairs) and handed to `Conv2DBackpropInput`.
 *
 * @throws {KernelError} for dilations other than 1.
 * @example
 * ```ts
 * registerKernel(depthwiseConv2dBackpropInputConfig('wasm'))
 * ```
 */
export function depthwiseConv2dBackpropInputConfig(backendName: string): KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: Parameters<KernelFunc>[0]): TensorInfo => {
    const b = backend as KernelBackend
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo }
    const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs
    const [dilationHeight, dilationWidth] = pair(dilations)
    if (dilationHeight !== 1 || dilationWidth !== 1) throw new KernelError('DepthwiseConv2dNativeBackpropInput: dilations must be 1', { dilationHeight, dilationWidth })
    const filterShape = filter.shape as [number, number, number, number]
    const info = backend_util.computeConv2DInfo(inputShape, filterShape, strides, 1, pad, dimRoundingMode, true)
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info
    const multiplier = filterShape[3]
    const top = filterHeight - 1 - info.padInfo.top
    const left = filterWidth - 1 - info.padInfo.left
    const bottom = inHeight - outHeight - top + filterHeight - 1
    const right = inWidth - outWidth - left + filterWidth - 1
    if (strideHeight === 1 && strideWidth === 1 && top >= 0 && left >= 0 && bottom >= 0 && right >= 0) {
      const flipped = callKernel('Reverse', b, backendName, { x: filter }, { dims: [0, 1] })
      const perChannel = callKernel('Reshape', b, backendName, { x: flipped }, { shape: [filterHeight, filterWidth, inChannels * multiplier, 1] })
      const correlation = callKernel('DepthwiseConv2dNative', b, backendName, { x: dy, filter: perChannel }, {
        strides: [1, 1],
        pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
        dilations: [1, 1],
      })
      disposeIntermediate(b, flipped, perChannel)
      const split = callKernel('Reshape', b, backendName, { x: correlation }, { shape: [batchSize, inHeight, inWidth, inChannels, multiplier] })
      const out = callKernel('Sum', b, backendName, { x: split }, { axis: [4], keepDims: false })
      disposeIntermediate(b, correlation, split)
      return out
    }
    const identityValues = new Float32Array(inChannels * inChannels)
    for (let c = 0; c < inChannels; c++) identityValues[c * inChannels + c] = 1
    const identity: TensorInfo = { dataId: b.write(identityValues, [1, 1, inChannels, inChannels, 1], 'float32'), shape: [1, 1, inChannels, inChannels, 1], dtype: 'float32' }
    const expanded = callKernel('Reshape', b, backendName, { x: filter }, { shape: [filterHeight, filterWidth, inChannels, 1, multiplier] })
    const blocks = callKernel('Multiply', b, backendName, { a: expanded, b: identity }, {})
    const full = callKernel('Reshape', b, backendName, { x: blocks }, { shape: [filterHeight, filterWidth, inChannels, inChannels * multiplier] })
    disposeIntermediate(b, identity, expanded, blocks)
    const convAttrs: NamedAttrMap = { strides, pad, dataFormat: 'NHWC', inputShape }
    if (dimRoundingMode !== undefined) convAttrs.dimRoundingMode = dimRoundingMode
    const out = callKernel('Conv2DBackpropInput', b, backendName, { dy, filter: full }, convAttrs)
    disposeIntermediate(b, full)
    return out
  }
  return { kernelName: DepthwiseConv2dNativeBackpropInput, backendName, kernelFunc }
}
