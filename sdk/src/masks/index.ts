export { assertDropoutRate, deriveSeed, dropThreshold, dropoutHash, dropoutMask, featureHash, isKept, mix32, sampleKey } from './dropout-mask.js'
