import { describe, expect, it } from 'vitest'
import { checkHtmlStructure } from './html-structure.js'

const page = (body: string) => `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><style>a > b { color: red; }</style></head><body>${body}</body></html>`

describe('checkHtmlStructure', () => {
  it('accepts a well-formed page with void elements, self-closing SVG elements and comments', () => {
    expect(checkHtmlStructure(page('<p>a &lt; b<br></p><svg viewBox="0 0 1 1"><path d="M0 0"/><g clip-path="url(#a-clip1)"></g></svg><!-- <x> -->'))).toStrictEqual([])
  })

  it.each([
    ['a missing doctype', '<html></html>', /no <!doctype html>/],
    ['an unclosed element', page('<div><p>x</p>'), /line 2: <div> is never closed/],
    ['a mis-nested element', page('<div><span></div></span>'), /<\/div> closes <span>/],
    ['a stray end tag', page('</p>'), /<\/p> closes (nothing|<body>)/],
    ['a script', page('<script>alert(1)</script>'), /<script> is not allowed/],
    ['an external image', page('<svg><image href="http://x/y.png"/></svg>'), /refers to a resource outside the page/],
    ['an unquoted attribute', page('<p class=x>y</p>'), /line 2: a "<" that starts no well-formed tag/],
    ['an external style', page('<p style="background: url(https://x/y.png)">y</p>'), /external resource/],
  ])('reports %s', (_name, html, problem) => {
    expect(checkHtmlStructure(html).join('\n')).toMatch(problem)
  })
})
