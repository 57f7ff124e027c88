/** Elements that have no end tag in HTML. */
const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'])

/**
 * A strict structural check of an HTML page as the report writes it: a doctype, every element
 * closed in order (HTML void elements excepted; SVG elements may self-close with `/>`), no stray
 * end tags, attributes quoted (a tag with an unquoted value is not a well-formed tag), and no `<script>`, `<link>`, `<iframe>`, `<object>`, `<embed>`,
 * `@import` or `url(http...)` that could load anything. Returns the problems found (empty when the
 * page is well formed). Not a full HTML parser: it accepts the subset the report writer produces.
 *
 * @example
 * ```ts
 * checkHtmlStructure('<!doctype html><html><body><p>hi</p></body></html>') // []
 * checkHtmlStructure('<!doctype html><div><span></div>') // ['line 1: </div> closes <span>']
 * ```
 */
export function checkHtmlStructure(html: string): string[] {
  const problems: string[] = []
  if (!/^<!doctype html>/i.test(html.trimStart())) problems.push('no <!doctype html> at the start')
  const stack: { name: string; line: number }[] = []
  const lineAt = (index: number) => html.slice(0, index).split('\n').length
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'))?)*)\s*(\/?)>|<!--[\s\S]*?-->|<!doctype[^>]*>|<(?![\s=])/gi
  let inStyle = false
  for (const match of html.matchAll(tag)) {
    const [text, closing, rawName, attributes, selfClosing] = match
    const line = lineAt(match.index)
    if (text.startsWith('<!')) continue
    if (rawName === undefined) {
      if (!inStyle) problems.push(`line ${line}: a "<" that starts no well-formed tag`)
      continue
    }
    const name = rawName.toLowerCase()
    if (inStyle && !(closing === '/' && name === 'style')) continue
    if (['script', 'link', 'iframe', 'object', 'embed', 'img', 'base'].includes(name)) problems.push(`line ${line}: <${name}> is not allowed in a self-contained report`)
    if (/\s(?:src|href)\s*=\s*["'](?!#)/i.test(attributes ?? '')) problems.push(`line ${line}: <${name}> refers to a resource outside the page`)
    if (closing === '/') {
      const open = stack.pop()
      if (open === undefined) problems.push(`line ${line}: </${name}> closes nothing`)
      else if (open.name !== name) {
        problems.push(`line ${line}: </${name}> closes <${open.name}> (opened on line ${open.line})`)
        stack.push(open)
      }
      if (name === 'style') inStyle = false
      continue
    }
    if (selfClosing === '/' || VOID_ELEMENTS.has(name)) continue
    stack.push({ name, line })
    if (name === 'style') inStyle = true
  }
  for (const open of stack) problems.push(`line ${open.line}: <${open.name}> is never closed`)
  if (/@import|url\(\s*["']?(?:https?:|\/\/)/i.test(html)) problems.push('a style loads an external resource (@import or url(http...))')
  return problems
}
