import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus } from 'node:os'
import { join } from 'node:path'
import { initTfjsWasmBackend, loadModelOn, loadWasmHeadKernel, readBundle, type HeadKernel, type ModelPlatform } from '@sd-dropout/sdk'
import { createTypeScriptHeadGradientKernel, createWasmHeadGradientKernel, trainHead, type HeadGradientKernel, type HeadTrainingInput } from '../sdk/src/fine-tune/index.js'
import { median, round, type BenchGoal, type BenchReport } from './report.js'

// Edge fine-tuning (issue 8): the head update of 1,000 examples for 20 epochs (backbone features
// precomputed) with the wasm SIMD gradient kernel against the TypeScript reference, on the default
// model's features when models/mnist-sd-dropout/model.sdd exists (1,000 inverted MNIST digits: a
// domain shift), else on a synthetic head with D = 128, C = 10. Also: the backbone time for the
// 1,000 digits, and model.fineTune end to end (features, training, re-calibration, bundle).

/** The default model; FINE_TUNE_BENCH_BUNDLE names another MNIST-shaped bundle (e.g. to try the path before it exists). */
const BUNDLE = process.env.FINE_TUNE_BENCH_BUNDLE ?? 'models/mnist-sd-dropout/model.sdd'
const EXAMPLES = 1000
const EPOCHS = 20
const requireFromRoot = createRequire(join(process.cwd(), 'package.json'))

function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/** 1,000 inverted MNIST digits (x -> 1 - x, model space [0, 1]) and their labels. */
function invertedDigits(): { inputs: Float32Array; labels: number[] } {
  const mnist = requireFromRoot('mnist') as { set(training: number, test: number): { training: { input: number[]; output: number[] }[] } }
  const { training } = mnist.set(EXAMPLES, 0)
  return { inputs: Float32Array.from(training.flatMap((item) => item.input.map((v) => 1 - v))), labels: training.map((item) => item.output.indexOf(1)) }
}

/** Node platform pieces from the built SDK, plus our gradient kernel (the lead wires it into nodePlatform). */
function platform(gradient: HeadGradientKernel): ModelPlatform {
  const tfjsWasm = requireFromRoot.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm')
  let head: Promise<HeadKernel> | null = null
  return {
    readSource: (source) => Promise.resolve(source as Uint8Array),
    initBackbone: async () => initTfjsWasmBackend(await WebAssembly.compile(readFileSync(tfjsWasm)), 'wasm-simd'),
    headKernel: () => (head ??= loadWasmHeadKernel()),
    headGradientKernel: (preference) => Promise.resolve(preference === 'typescript' ? createTypeScriptHeadGradientKernel() : gradient),
  }
}

/** Median wall time (ms) of `rounds` runs of `fn`, after one warm-up run. */
async function timeMs(fn: () => Promise<unknown>, rounds: number): Promise<number> {
  await fn()
  const times: number[] = []
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    await fn()
    times.push(performance.now() - start)
  }
  return median(times)
}

export default async function run(): Promise<BenchReport> {
  const wasm = await createWasmHeadGradientKernel(readFileSync(join(process.cwd(), 'sdk/dist/head-kernel.wasm')))
  const typescript = createTypeScriptHeadGradientKernel()
  const rows: Record<string, string | number>[] = []
  const notes: string[] = []
  let problem: Omit<HeadTrainingInput, 'kernel'>
  let source: string
  let endToEnd: number | null = null

  if (existsSync(BUNDLE)) {
    const bytes = new Uint8Array(readFileSync(BUNDLE))
    const m = (await readBundle(bytes)).manifest
    const model = await loadModelOn(platform(wasm), bytes)
    const digits = invertedDigits()
    const featuresMs = await timeMs(() => model.features(digits.inputs), 3)
    const { features } = await model.features(digits.inputs)
    const bundle = await readBundle(bytes)
    source = `model ${BUNDLE} (D = ${m.head.inputDim}, C = ${m.head.classes}, p = ${m.head.dropoutRate}), ${EXAMPLES} inverted MNIST digits`
    problem = headProblem(features, Int32Array.from(digits.labels), m.head.inputDim, m.head.classes, bundle.float32(m.head.weightPart), bundle.float32(m.head.biasPart), m.head.dropoutRate)
    rows.push({ step: `backbone features of ${EXAMPLES} digits (${model.runtime.backbone})`, 'ms (median)': round(featuresMs), 'ratio to wasm training': '-' })
    endToEnd = await timeMs(() => model.fineTune(digits.inputs, digits.labels, { epochs: EPOCHS, kernel: 'wasm-simd' }), 2)
    model.dispose()
  } else {
    const d = 128
    const c = 10
    const next = random(1)
    const centres = Float32Array.from({ length: c * d }, () => next())
    const labels = Int32Array.from({ length: EXAMPLES }, (_, i) => i % c)
    const features = Float32Array.from({ length: EXAMPLES * d }, (_, k) => Math.max(0, (centres[(labels[Math.floor(k / d)] as number) * d + (k % d)] as number) + (next() - 0.5) * 1.6))
    const weight = Float32Array.from({ length: d * c }, () => (next() * 2 - 1) * 0.1)
    source = `SYNTHETIC head (D = ${d}, C = ${c}, p = 0.5; ${BUNDLE} does not exist yet): clustered ReLU-like features`
    problem = headProblem(features, labels, d, c, weight, new Float32Array(c), 0.5)
    notes.push(`${BUNDLE} was not found, so no backbone or end-to-end time: rerun \`npm run bench -- fine-tune\` once the default model is trained.`)
  }

  const wasmMs = await timeMs(() => trainHead({ ...problem, kernel: wasm }), 5)
  const typescriptMs = await timeMs(() => trainHead({ ...problem, kernel: typescript }), 3)
  const ceMs = await timeMs(() => trainHead({ ...problem, kernel: wasm, settings: { ...problem.settings, loss: { ...problem.settings.loss, lambda: 0 } } }), 5)
  const steps = EPOCHS * Math.ceil(EXAMPLES / problem.settings.batchSize)
  rows.push(
    { step: `head training, SD-Dropout, ${EXAMPLES} x ${EPOCHS} epochs, wasm SIMD kernel`, 'ms (median)': round(wasmMs), 'ratio to wasm training': 1 },
    { step: 'head training, SD-Dropout, TypeScript reference kernel', 'ms (median)': round(typescriptMs), 'ratio to wasm training': round(typescriptMs / wasmMs) },
    { step: 'head training, plain CE (lambda = 0), wasm SIMD kernel', 'ms (median)': round(ceMs), 'ratio to wasm training': round(ceMs / wasmMs) },
  )
  if (endToEnd !== null) rows.push({ step: `model.fineTune end to end (${EXAMPLES} examples: features, the deployed head and 5 cross-fitting fold heads trained, re-calibration on the out-of-fold predictions, bundle)`, 'ms (median)': round(endToEnd), 'ratio to wasm training': round(endToEnd / wasmMs) })
  const goals: BenchGoal[] = [
    { name: `fine-tune head, ${EXAMPLES} examples x ${EPOCHS} epochs (features precomputed), wasm, ms`, value: round(wasmMs), goal: '< 2000 ms', met: wasmMs < 2000 },
    { name: 'TypeScript / wasm gradient kernel, same training', value: round(typescriptMs / wasmMs), goal: '> 1x (wasm pays off)', met: typescriptMs > wasmMs },
  ]
  if (endToEnd !== null) goals.push({ name: `model.fineTune end to end, ${EXAMPLES} examples x ${EPOCHS} epochs, ms`, value: round(endToEnd), goal: '< 2000 ms', met: endToEnd < 2000 })
  return {
    title: `Edge fine-tuning: ${source}`,
    rows,
    goals,
    notes: [
      ...notes,
      `${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores shared with other work), one thread; medians of rounds after a warm-up run.`,
      `Head training: Adam, learning rate 0.01, batch ${problem.settings.batchSize} (${steps} steps), SD-Dropout lambda ${problem.settings.loss.lambda}, tau ${problem.settings.loss.temperature}, gradients through both sides; each step is 3 heads forward + the rank-3 backward, 6 B D C multiply-adds.`,
      'The TypeScript reference accumulates in float64 and skips zero features; the wasm kernel accumulates in float32, lanes over classes.',
    ],
  }
}

function headProblem(features: Float32Array, labels: Int32Array, d: number, c: number, weight: Float32Array, bias: Float32Array, dropoutRate: number): Omit<HeadTrainingInput, 'kernel'> {
  return {
    features,
    labels,
    train: Int32Array.from({ length: labels.length }, (_, i) => i),
    featureDim: d,
    classes: c,
    weight,
    bias,
    settings: { epochs: EPOCHS, batchSize: 32, optimizer: 'adam', learningRate: 0.01, momentum: 0, weightDecay: 1e-4, seed: 0, loss: { dropoutRate, temperature: 1, lambda: 1, detach: false } },
  }
}
