/**
 * Accepts image files dropped anywhere on the page (the drop zone lights up while a file is
 * dragged) or chosen with the file input (keyboard and screen-reader users never need drag and
 * drop). Dropping outside the zone never navigates away from the page.
 *
 * @example
 * ```ts
 * acceptImageFiles(zone, input, (bytes, name) => predictFile(bytes, name))
 * ```
 */
export function acceptImageFiles(zone: HTMLElement, input: HTMLInputElement, onImage: (bytes: Uint8Array, name: string) => void): void {
  const read = (file: File | undefined) => {
    if (file === undefined) return
    void file.arrayBuffer().then((buffer) => onImage(new Uint8Array(buffer), file.name))
  }
  const carriesFiles = (event: DragEvent) => event.dataTransfer?.types.includes('Files') ?? false
  document.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return
    event.preventDefault()
    if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy'
    zone.classList.add('dragging')
  })
  document.addEventListener('dragleave', (event) => {
    if (event.relatedTarget === null) zone.classList.remove('dragging')
  })
  document.addEventListener('drop', (event) => {
    zone.classList.remove('dragging')
    if (!carriesFiles(event)) return
    event.preventDefault()
    read(event.dataTransfer?.files[0])
  })
  input.addEventListener('change', () => {
    read(input.files?.[0])
    input.value = ''
  })
}
