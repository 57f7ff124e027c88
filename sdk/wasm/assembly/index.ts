// Entry of head-kernel.wasm: the raw exports ABI the TypeScript wrapper
// (sdk/src/kernels/wasm-head-kernel.ts) calls. Pointers are byte offsets into the exported memory.
export { alloc, free } from './memory'
export { preparedHeadBytes, prepareHead } from './head-weights'
export { outputFloats, runHead } from './fused-head'
export { scratchBytes } from './scratch-layout'
