export type { HeadKernel, HeadKernelName, HeadKernelOutput, HeadKernelScoreName, HeadKernelScores, HeadRunInput, HeadWeights, PreparedHead } from './head-kernel.js'
export { createTypeScriptHeadKernel } from './typescript-head-kernel.js'
export { createWasmHeadKernel } from './wasm-head-kernel.js'
export { isWasmSimdSupported } from './wasm-simd-support.js'
