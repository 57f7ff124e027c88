// `npm start`: until the worker and the default model exist, this runs a small real job on the
// built SDK: MC-dropout over a fixed linear head with the shared mask generator, printing the
// calibrated mean probabilities and the uncertainty of two inputs (one clear, one ambiguous).
import { dropoutMask, summarizeSamples } from '../sdk/dist/index.js'

const features = 8
const classes = 3
const weight = Float32Array.from({ length: features * classes }, (_, i) => Math.sin(i * 1.7) * 2)
const inputs = {
  clear: Float32Array.from({ length: features }, (_, d) => (d % 3 === 0 ? 2 : 0.1)),
  ambiguous: Float32Array.from({ length: features }, () => 0.3),
}
const samples = 32
const rate = 0.5
for (const [name, h] of Object.entries(inputs)) {
  const logits = new Float32Array(samples * classes)
  for (let s = 0; s < samples; s++) {
    const mask = dropoutMask(0, s, features, rate)
    for (let d = 0; d < features; d++) {
      for (let c = 0; c < classes; c++) logits[s * classes + c] += h[d] * mask[d] * weight[d * classes + c]
    }
  }
  const u = summarizeSamples(logits, samples, classes)
  console.log(
    `${name.padEnd(9)} p = [${Array.from(u.probabilities, (p) => p.toFixed(3)).join(', ')}]  ` +
      `H = ${u.predictiveEntropy.toFixed(3)} nats  MI = ${u.mutualInformation.toFixed(4)}  var = ${u.variance.toFixed(4)}`,
  )
}
