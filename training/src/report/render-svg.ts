import * as vega from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/**
 * Renders a Vega-Lite chart to a static SVG string in Node (no DOM, no canvas, no network: the
 * data are inline in the spec): Vega-Lite compiles it to Vega, a headless `vega.View` (renderer
 * `none`) lays it out and `toSVG` serialises it. Element ids (clip paths) get `idPrefix` so several
 * charts can sit in one page without their ids colliding.
 *
 * @param idPrefix letters, digits, `-`; unique per chart in a page
 * @example
 * ```ts
 * const svg = await renderSvg({ data: { values }, mark: 'line', encoding: { ... } }, 'roc')
 * ```
 */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' })
  try {
    return prefixSvgIds(await view.toSVG(), idPrefix)
  } finally {
    view.finalize()
  }
}

/**
 * Renames every `id="x"` of an SVG to `id="<prefix>-x"` and its references (`url(#x)`, `href="#x"`).
 *
 * @example
 * ```ts
 * prefixSvgIds('<clipPath id="clip1"/><g clip-path="url(#clip1)"/>', 'a') // ids a-clip1
 * ```
 */
export function prefixSvgIds(svg: string, prefix: string): string {
  const ids = new Set(Array.from(svg.matchAll(/\sid="([^"]+)"/g), (match) => match[1] as string))
  let out = svg
  for (const id of ids) {
    const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    out = out
      .replace(new RegExp(`(\\sid=")${escaped}"`, 'g'), `$1${prefix}-${id}"`)
      .replace(new RegExp(`url\\(#${escaped}\\)`, 'g'), `url(#${prefix}-${id})`)
      .replace(new RegExp(`(href=")#${escaped}"`, 'g'), `$1#${prefix}-${id}"`)
  }
  return out
}
