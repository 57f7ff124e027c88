import { softmax, summarizeSamples } from '@sd-dropout/sdk'
import { median, round, timeRounds, type BenchReport } from './report.js'

/** Reference-math throughput: a baseline every other benchmark's numbers can be read against. */
export default function run(): Promise<BenchReport> {
  const classes = 10
  const samples = 32
  const logits = Float32Array.from({ length: samples * classes }, (_, i) => Math.sin(i) * 4)
  const out = new Float64Array(classes)
  const softmaxUs = median(timeRounds(() => softmax(logits.subarray(0, classes), 1.3, out), { iterations: 20_000 }))
  const summaryUs = median(timeRounds(() => summarizeSamples(logits, samples, classes, 1.3), { iterations: 2_000 }))
  return Promise.resolve({
    title: 'reference math (TypeScript, float64)',
    rows: [
      { operation: 'softmax, C = 10', 'us/call': round(softmaxUs) },
      { operation: 'summarizeSamples, S = 32, C = 10', 'us/call': round(summaryUs) },
    ],
    goals: [],
    notes: ['Baseline only; the fused wasm kernel is compared in its own benchmark.'],
  })
}
