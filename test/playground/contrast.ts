import type { Page } from 'playwright-core'

/** An sRGB colour, channels 0..255. */
export type Rgb = readonly [number, number, number]

/**
 * WCAG 2.x relative luminance of an sRGB colour: 0.2126 R + 0.7152 G + 0.0722 B on linearised
 * channels (c / 255 <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055)^2.4).
 *
 * @example
 * ```ts
 * relativeLuminance([255, 255, 255]) // 1
 * ```
 */
export function relativeLuminance(rgb: Rgb): number {
  const [r, g, b] = rgb.map((channel) => {
    const c = channel / 255
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/**
 * WCAG contrast ratio (L1 + 0.05) / (L2 + 0.05), L1 the lighter: 1 to 21. AA asks 4.5 for text,
 * 3 for large text (>= 24 px, or >= 18.66 px bold).
 *
 * @example
 * ```ts
 * contrastRatio([0, 0, 0], [255, 255, 255]) // 21
 * ```
 */
export function contrastRatio(a: Rgb, b: Rgb): number {
  const [light, dark] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number]
  return (light + 0.05) / (dark + 0.05)
}

/** A visible text of the page with its colours and the AA ratio it needs. */
export interface TextColours {
  readonly text: string
  readonly color: Rgb
  /** The nearest opaque background behind it. */
  readonly background: Rgb
  /** 4.5, or 3 for large text. */
  readonly required: number
}

/**
 * Every visible element that holds text of its own, with its computed colour and the computed
 * background colour of the nearest ancestor (or itself) whose background is opaque.
 *
 * @example
 * ```ts
 * const low = (await pageTexts(page)).filter((t) => contrastRatio(t.color, t.background) < t.required)
 * ```
 */
export async function pageTexts(page: Page): Promise<TextColours[]> {
  const found = await page.evaluate(() => {
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number)
    const out: { text: string; color: number[]; background: number[]; large: boolean }[] = []
    for (const element of Array.from(document.body.querySelectorAll<HTMLElement>('*'))) {
      const own = Array.from(element.childNodes).filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent?.trim() ?? '').join(' ').trim()
      const isControl = element instanceof HTMLButtonElement
      if ((own === '' && !isControl) || !element.checkVisibility({ visibilityProperty: true, opacityProperty: true })) continue
      let background = [255, 255, 255]
      for (let node: HTMLElement | null = element; node !== null; node = node.parentElement) {
        const colour = rgb(getComputedStyle(node).backgroundColor)
        if (colour.length === 3 || (colour[3] ?? 0) >= 1) {
          background = colour.slice(0, 3)
          break
        }
      }
      const style = getComputedStyle(element)
      const size = parseFloat(style.fontSize)
      out.push({ text: own || element.textContent?.trim() || '', color: rgb(style.color).slice(0, 3), background, large: size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700) })
    }
    return out
  })
  const toRgb = (channels: number[]): Rgb => [channels[0] ?? 0, channels[1] ?? 0, channels[2] ?? 0]
  return found.map(({ text, color, background, large }) => ({ text, color: toRgb(color), background: toRgb(background), required: large ? 3 : 4.5 }))
}
