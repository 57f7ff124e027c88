import { describe, expect, it } from 'vitest'
import { coverageChart, fgsmChart, histogramChart, reliabilityChart, rocChart, shiftChart, trainingCurvesChart } from './charts.js'
import { prefixSvgIds, renderSvg } from './render-svg.js'
import { scoreHistogram } from './score-histogram.js'

const bins = [
  { lower: 0.8, upper: 0.9, count: 10, confidence: 0.85, accuracy: 0.7 },
  { lower: 0.9, upper: 1, count: 0, confidence: 0, accuracy: 0 },
]

/** Texts of an SVG's <text> elements. */
const texts = (svg: string) => Array.from(svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g), (m) => m[1])

describe('charts rendered to static SVG by Vega-Lite', () => {
  it('draws every chart as one <svg> with its titles and prefixed ids', async () => {
    const charts = {
      history: trainingCurvesChart([{ epoch: 1, loss: 0.5, accuracy: 0.8, validationAccuracy: 0.85, validationNll: 0.4 }, { epoch: 2, loss: 0.3, accuracy: 0.9, validationAccuracy: null, validationNll: null }]),
      reliability: reliabilityChart([{ title: 'T = 1', bins }, { title: 'T_cal', bins }]),
      histogram: histogramChart('mahalanobis', scoreHistogram([{ name: 'test', scores: [1, 2, 3] }, { name: 'noise', scores: [1e3, 2e3] }], 5), 2.5),
      roc: rocChart([{ set: 'noise', curves: [{ score: 'msp', auroc: 0.75, points: [{ falsePositiveRate: 0, truePositiveRate: 0 }, { falsePositiveRate: 0.5, truePositiveRate: 1 }, { falsePositiveRate: 1, truePositiveRate: 1 }] }] }]),
      coverage: coverageChart([{ coverage: 0.5, accuracy: 1, threshold: 0.9 }, { coverage: 1, accuracy: 0.9, threshold: 0.5 }], { coverage: 0.5, accuracy: 1 }),
      shift: shiftChart([{ shift: 'blur', severity: 1, parameter: 0.5, items: 10, accuracy: 0.9, ece: 0.05, nll: 0.3, oodFlagged: 0.1 }], { accuracy: 0.95, ece: 0.02 }),
      fgsm: fgsmChart([{ epsilon: 0.1, items: 10, accuracy: 0.3, ece: 0.4, nll: 2, oodFlagged: null }], { accuracy: 0.95, ece: 0.02 }),
    }
    const expectedTexts: Record<keyof typeof charts, string[]> = {
      history: ['Loss', 'Accuracy', 'training loss', 'validation NLL'],
      reliability: ['T = 1', 'T_cal', 'confidence'],
      histogram: ['log10 mahalanobis score', 'noise', 'test'],
      roc: ['noise', 'msp (0.750)'],
      coverage: ['coverage', 'accuracy'],
      shift: ['Accuracy under shift', 'blur', 'severity'],
      fgsm: ['epsilon (pixel units)', 'ECE'],
    }
    for (const [name, spec] of Object.entries(charts) as [keyof typeof charts, (typeof charts)[keyof typeof charts]][]) {
      const svg = await renderSvg(spec, name)
      expect(svg.startsWith('<svg'), name).toBe(true)
      expect(svg.match(/<svg/g), name).toHaveLength(1)
      expect(texts(svg), name).toStrictEqual(expect.arrayContaining(expectedTexts[name]))
      for (const id of svg.matchAll(/\sid="([^"]+)"/g)) expect(id[1]?.startsWith(`${name}-`), name).toBe(true)
    }
  }, 30_000)

  it('prefixes ids and their references only', () => {
    expect(prefixSvgIds('<clipPath id="clip1"/><g clip-path="url(#clip1)"/><use href="#clip1"/><g id="clip10"/>', 'a')).toBe(
      '<clipPath id="a-clip1"/><g clip-path="url(#a-clip1)"/><use href="#a-clip1"/><g id="a-clip10"/>',
    )
  })
})
