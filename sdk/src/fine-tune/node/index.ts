export { nodeHeadGradientKernel } from './load-wasm-head-gradient-kernel.js'
