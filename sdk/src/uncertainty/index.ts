export { argmax, summarizeDeterministic, summarizeSamples, type UncertaintySummary } from './summarize-samples.js'
