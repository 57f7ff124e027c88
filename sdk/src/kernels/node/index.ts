export { headKernelWasmPath, loadWasmHeadKernel, readHeadKernelWasm } from './load-wasm-head-kernel.js'
