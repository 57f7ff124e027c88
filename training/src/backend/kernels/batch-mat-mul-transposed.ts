import { BatchMatMul, type BatchMatMulAttrs, type KernelBackend, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core'
import { callKernel, disposeIntermediate } from './call-kernel.js'

/**
 * A fast path for `BatchMatMul` with `transposeA` or `transposeB` (every dense layer's backward
 * pass): transposes the operand explicitly, then runs the backend's original kernel without
 * transposes, which is the one on XNNPACK's fast path (DESIGN section 3: ~2x on wasm).
 *
 * @param backendName the backend to register for
 * @param original the kernel this one overrides (its setup function is run too)
 * @example
 * ```ts
 * registerKernel(batchMatMulTransposedConfig('wasm', getKernel('BatchMatMul', 'wasm')))
 * ```
 */
export function batchMatMulTransposedConfig(backendName: string, original: KernelConfig): KernelConfig {
  const kernelFunc = (args: Parameters<KernelFunc>[0]): TensorInfo | TensorInfo[] => {
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs
    if (!transposeA && !transposeB) return original.kernelFunc(args)
    const b = args.backend as KernelBackend
    const { a, b: right } = args.inputs as { a: TensorInfo; b: TensorInfo }
    const aT = transposeA ? callKernel('Transpose', b, backendName, { x: a }, { perm: lastTwoSwapped(a.shape.length) }) : a
    const bT = transposeB ? callKernel('Transpose', b, backendName, { x: right }, { perm: lastTwoSwapped(right.shape.length) }) : right
    const out = original.kernelFunc({ inputs: { a: aT, b: bT }, backend: b, attrs: { transposeA: false, transposeB: false } })
    if (transposeA) disposeIntermediate(b, aT)
    if (transposeB) disposeIntermediate(b, bT)
    return out
  }
  const config: KernelConfig = { kernelName: BatchMatMul, backendName, kernelFunc }
  if (original.setupFunc !== undefined) config.setupFunc = original.setupFunc
  if (original.disposeFunc !== undefined) config.disposeFunc = original.disposeFunc
  return config
}

function lastTwoSwapped(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i)
  perm[rank - 2] = rank - 1
  perm[rank - 1] = rank - 2
  return perm
}
