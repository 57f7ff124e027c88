import { getKernel, type KernelBackend, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core'
import { KernelError } from '@sd-dropout/sdk'

/**
 * Runs another registered kernel of the same backend directly (no engine, no tape) and returns
 * its single output. Composite kernels use this to build a missing kernel from existing ones;
 * they free their intermediates with {@link disposeIntermediate}.
 *
 * @throws {KernelError} when the kernel is not registered for the backend or returns several outputs.
 * @example
 * ```ts
 * const xT = callKernel('Transpose', backend, 'wasm', { x }, { perm: [3, 1, 2, 0] })
 * ```
 */
export function callKernel(kernelName: string, backend: KernelBackend, backendName: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = getKernel(kernelName, backendName)
  if (kernel === undefined) throw new KernelError(`kernel ${kernelName} is not registered for backend ${backendName}`, { kernelName, backendName })
  const out = kernel.kernelFunc({ inputs, backend, attrs })
  if (Array.isArray(out)) throw new KernelError(`kernel ${kernelName} returned ${out.length} outputs; one expected`, { kernelName })
  return out
}

/**
 * Frees the backing memory of intermediate kernel outputs (never of the kernel's own inputs or result).
 *
 * @example
 * ```ts
 * disposeIntermediate(backend, xT, dyT)
 * ```
 */
export function disposeIntermediate(backend: KernelBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId)
}

/**
 * Normalises a `[h, w] | n` attribute (strides, dilations) to `[h, w]`.
 *
 * @example
 * ```ts
 * pair(2) // [2, 2]
 * ```
 */
export function pair(value: number | readonly number[]): [number, number] {
  if (typeof value === 'number') return [value, value]
  return [value[0] ?? 1, value[1] ?? value[0] ?? 1]
}
