import { describe, expect, it } from 'vitest'
import { KernelError } from '../errors.js'
import { readHeadKernelWasm } from './node/load-wasm-head-kernel.js'
import { createWasmHeadKernel } from './wasm-head-kernel.js'

// A failed init is final for the process (ONNX Runtime web style): its own file, so its own process.

describe('createWasmHeadKernel after a failed init', () => {
  it('fails loudly on bytes that are not wasm, then refuses every later init with the first cause', async () => {
    const first = await createWasmHeadKernel(new Uint8Array([1, 2, 3, 4])).catch((error: unknown) => error)
    expect(first).toBeInstanceOf(KernelError)
    expect((first as KernelError).cause).toBeInstanceOf(WebAssembly.CompileError)
    const second = await createWasmHeadKernel(await readHeadKernelWasm()).catch((error: unknown) => error)
    expect(second).toBeInstanceOf(KernelError)
    expect((second as KernelError).message).toMatch(/previous createWasmHeadKernel\(\) failed/)
    expect((second as KernelError).cause).toBe((first as KernelError).cause)
  })
})
