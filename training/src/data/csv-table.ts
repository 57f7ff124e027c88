import { FormatError } from '@sd-dropout/sdk'

/** A parsed CSV file: its rows of fields, each with the 1-based line it starts on. */
export interface CsvTable {
  readonly rows: readonly (readonly string[])[]
  /** `lines[i]` is the file line where row i starts (for messages). */
  readonly lines: readonly number[]
}

/**
 * Parses comma-separated values (RFC 4180): fields separated by `,`, rows by `\n` or `\r\n`, a field
 * in double quotes may hold commas, newlines and `""` (one quote). Blank lines are skipped; a
 * leading UTF-8 byte-order mark is ignored. Every row must have as many fields as the first.
 *
 * @param file the file name, for messages
 * @throws {FormatError} naming the file and line for an unterminated quote, a quote inside an
 *   unquoted field, text after a closing quote, or a row with a different number of fields.
 * @example
 * ```ts
 * parseCsv('a,b\n1,"x,y"\n', 'data.csv').rows // [['a', 'b'], ['1', 'x,y']]
 * ```
 */
export function parseCsv(text: string, file: string): CsvTable {
  const rows: string[][] = []
  const lines: number[] = []
  let line = 1
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  while (i < text.length) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] === '\n')) {
      i += text[i] === '\r' ? 2 : 1
      line++
      continue
    }
    const start = line
    const row: string[] = []
    for (;;) {
      let field = ''
      if (text[i] === '"') {
        i++
        for (;;) {
          if (i >= text.length) throw new FormatError(file, `line ${start}: unterminated quoted field`, { line: start })
          const ch = text[i] as string
          if (ch === '"') {
            if (text[i + 1] === '"') {
              field += '"'
              i += 2
              continue
            }
            i++
            break
          }
          if (ch === '\n') line++
          field += ch
          i++
        }
        if (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') throw new FormatError(file, `line ${line}: unexpected text after a closing quote`, { line })
      } else {
        while (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') throw new FormatError(file, `line ${line}: a quote inside an unquoted field (quote the whole field and double the quote)`, { line })
          field += text[i] as string
          i++
        }
      }
      row.push(field)
      if (text[i] === ',') {
        i++
        continue
      }
      break
    }
    const width = rows[0]?.length ?? row.length
    if (row.length !== width) throw new FormatError(file, `line ${start}: ${row.length} fields, expected ${width} like the first row`, { line: start, fields: row.length, expected: width })
    rows.push(row)
    lines.push(start)
  }
  return { rows, lines }
}
