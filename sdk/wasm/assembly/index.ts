// Entry of head-kernel.wasm: the raw exports ABI the TypeScript wrapper
// (sdk/src/kernels/wasm-head-kernel.ts) calls. Pointers are byte offsets into the exported memory.
export { alloc, free } from './memory'
export { preparedHeadBytes, prepareHead } from './head-weights'
export { outputFloats, runHead } from './fused-head'
export { scratchBytes } from './scratch-layout'
// The SD-Dropout head-gradient kernel of fine-tuning (sdk/src/fine-tune/wasm-head-gradient-kernel.ts):
// the same module, instantiated separately for training so its memory never mixes with inference.
export { gradientScratchBytes } from './gradient-scratch'
export { headGradient } from './head-gradient'
