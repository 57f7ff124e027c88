/**
 * @sd-dropout/sdk: load sd-dropout model bundles and get calibrated probabilities, MC-dropout
 * uncertainty and OOD verdicts; plus the reference math (calibration, uncertainty, OOD metrics)
 * that the trainer and the worker share.
 */
export * from './errors.js'
export * from './math/index.js'
export * from './masks/index.js'
export * from './ood/index.js'
export * from './format/index.js'
export * from './uncertainty/index.js'
export * from './image/index.js'
export * from './calibration/index.js'
export * from './kernels/index.js'
export * from './model/index.js'
export { initTfjsWasmBackend, tfjsWasmFlavour, type TfjsWasmFlavour } from './runtime/tfjs-wasm-backend.js'
export * from './fine-tune/index.js'
export * from './deployment/index.js'
