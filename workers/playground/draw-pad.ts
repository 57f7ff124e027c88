/** Background and ink of the drawing area: the model's own look (MNIST: light ink on black). */
export interface PadColours {
  readonly background: string
  readonly ink: string
}

/** A canvas to draw on (mouse, pen, touch), that can also show a dropped image. */
export interface DrawPad {
  /** Paints the background over everything. */
  clear(): void
  setColours(colours: PadColours): void
  /** The drawing as PNG bytes (what both modes send to the model). */
  toPng(): Promise<Uint8Array>
  /** Shows an encoded image, scaled to fit (display only; the caller keeps the bytes). */
  showImage(bytes: Uint8Array): Promise<void>
}

/** Options of {@link createDrawPad}. */
export interface DrawPadOptions {
  /** A stroke ended (pointer up). */
  readonly onStroke: () => void
  /** Delete, Backspace or Escape pressed on the focused canvas. */
  readonly onClearKey: () => void
}

/**
 * Makes `canvas` a drawing pad: pointer events (mouse, pen and touch alike; `touch-action: none`
 * in the CSS keeps touch from scrolling), round strokes 1/14 of the canvas wide (about an MNIST
 * stroke once the SDK centres and resizes the digit). Coordinates follow the canvas's displayed size.
 *
 * @example
 * ```ts
 * const pad = createDrawPad(canvas, { onStroke: predict, onClearKey: clearAll })
 * const png = await pad.toPng()
 * ```
 */
export function createDrawPad(canvas: HTMLCanvasElement, options: DrawPadOptions): DrawPad {
  const context = canvas.getContext('2d')
  if (context === null) throw new Error('this browser has no 2D canvas')
  let colours: PadColours = { background: '#000000', ink: '#ffffff' }
  let last: { x: number; y: number } | null = null

  const point = (event: PointerEvent) => {
    const rect = canvas.getBoundingClientRect()
    return { x: ((event.clientX - rect.left) * canvas.width) / rect.width, y: ((event.clientY - rect.top) * canvas.height) / rect.height }
  }
  const segment = (from: { x: number; y: number }, to: { x: number; y: number }) => {
    context.strokeStyle = colours.ink
    context.lineWidth = canvas.width / 14
    context.lineCap = 'round'
    context.lineJoin = 'round'
    context.beginPath()
    context.moveTo(from.x, from.y)
    context.lineTo(to.x, to.y)
    context.stroke()
  }
  const clear = () => {
    context.fillStyle = colours.background
    context.fillRect(0, 0, canvas.width, canvas.height)
  }

  canvas.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return
    event.preventDefault()
    canvas.setPointerCapture(event.pointerId)
    last = point(event)
    segment(last, last)
  })
  canvas.addEventListener('pointermove', (event) => {
    if (last === null) return
    for (const step of event.getCoalescedEvents?.() ?? [event]) {
      const next = point(step)
      segment(last, next)
      last = next
    }
  })
  const end = () => {
    if (last === null) return
    last = null
    options.onStroke()
  }
  canvas.addEventListener('pointerup', end)
  canvas.addEventListener('pointercancel', end)
  canvas.addEventListener('keydown', (event) => {
    if (event.key !== 'Delete' && event.key !== 'Backspace' && event.key !== 'Escape') return
    event.preventDefault()
    options.onClearKey()
  })
  clear()

  return {
    clear,
    setColours(next) {
      colours = next
      canvas.style.background = next.background
    },
    async toPng() {
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
      if (blob === null) throw new Error('the canvas could not be encoded as PNG')
      return new Uint8Array(await blob.arrayBuffer())
    },
    async showImage(bytes) {
      clear()
      const bitmap = await createImageBitmap(new Blob([bytes.slice()]))
      const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height)
      const width = bitmap.width * scale
      const height = bitmap.height * scale
      context.imageSmoothingEnabled = scale < 1
      context.drawImage(bitmap, (canvas.width - width) / 2, (canvas.height - height) / 2, width, height)
      bitmap.close()
    },
  }
}
