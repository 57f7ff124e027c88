import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FormatError, InputError, OptionError } from '@sd-dropout/sdk'
import { afterAll, describe, expect, it } from 'vitest'
import { loadCsvDataset } from './csv-dataset.js'
import { parseCsv } from './csv-table.js'

const dir = mkdtempSync(join(tmpdir(), 'sdd-csv-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0
function write(text: string): string {
  const path = join(dir, `t${files++}.csv`)
  writeFileSync(path, text)
  return path
}

describe('parseCsv', () => {
  it('reads quoted fields with commas, newlines and doubled quotes, CRLF and blank lines', () => {
    const { rows, lines } = parseCsv('\ufeffa,b\r\n\r\n1,"x,""y""\nz"\n2,\n', 'f.csv')
    expect(rows).toStrictEqual([['a', 'b'], ['1', 'x,"y"\nz'], ['2', '']])
    expect(lines).toStrictEqual([1, 3, 5])
  })

  it.each([
    ['an unterminated quote', 'a,b\n1,"x\n', /f\.csv: line 2: unterminated quoted field/],
    ['a stray quote', 'a,b\n1,x"y\n', /f\.csv: line 2: a quote inside an unquoted field/],
    ['text after a quote', 'a,b\n1,"x"y\n', /line 2: unexpected text after a closing quote/],
    ['a short row', 'a,b,c\n1,2,3\n4,5\n', /f\.csv: line 3: 2 fields, expected 3 like the first row/],
  ])('rejects %s with a FormatError naming file and line', (_name, text, message) => {
    expect(() => parseCsv(text, 'f.csv')).toThrow(FormatError)
    expect(() => parseCsv(text, 'f.csv')).toThrow(message)
  })
})

describe('loadCsvDataset', () => {
  it('reads a header, numeric features and integer labels (the `label` column wherever it is)', () => {
    const data = loadCsvDataset(write('label,height,weight\n1,1.5,-2\n0,2.5,3e1\n2,0,0\n'))
    expect(data).toMatchObject({ count: 3, itemShape: [2], classes: 3, featureNames: ['height', 'weight'], labelNames: ['0', '1', '2'] })
    expect(Array.from(data.images)).toStrictEqual([1.5, -2, 2.5, 30, 0, 0])
    expect(Array.from(data.labels)).toStrictEqual([1, 0, 2])
  })

  it('takes the last column without a header, and string labels as sorted classes', () => {
    const data = loadCsvDataset(write('5.1,3.5,setosa\n6.2,2.9,versicolor\n4.9,3.0,setosa\n'))
    expect(data).toMatchObject({ itemShape: [2], labelNames: ['setosa', 'versicolor'], featureNames: ['x0', 'x1'] })
    expect(Array.from(data.labels)).toStrictEqual([0, 1, 0])
    const test = loadCsvDataset(write('1,2,versicolor\n'), { labels: ['setosa', 'versicolor'] })
    expect(Array.from(test.labels)).toStrictEqual([1])
    expect(() => loadCsvDataset(write('1,2,virginica\n'), { labels: ['setosa', 'versicolor'] })).toThrow(InputError)
    expect(() => loadCsvDataset(write('1,2,virginica\n'), { labels: ['setosa', 'versicolor'] })).toThrow(/line 1: label "virginica" is not one of the model's classes/)
  })

  it('selects the label column by name or index and checks integer labels against C', () => {
    expect(Array.from(loadCsvDataset(write('a,b,c\n1,7,2\n'), { labelColumn: 'b' }).images)).toStrictEqual([1, 2])
    expect(Array.from(loadCsvDataset(write('1,7,2\n'), { labelColumn: '0' }).labels)).toStrictEqual([1])
    expect(() => loadCsvDataset(write('a,b\n1,2\n'), { labelColumn: 'z' })).toThrow(OptionError)
    expect(() => loadCsvDataset(write('x,label\n1,4\n'), { classes: 3 })).toThrow(/line 2: label 4 is out of range: labels must be in \[0, 3\)/)
  })

  it.each([
    ['an empty file', '', /empty CSV file/],
    ['a header only', 'x,label\n', /no data rows after the header/],
    ['a non-numeric feature', 'x,y,label\n1,2,0\n3,abc,1\n', /line 3, column 2 \(y\): "abc" is not a finite number/],
    ['a missing feature', 'x,y,label\n1,,0\n', /line 2, column 2 \(y\): "" is not a finite number/],
    ['a ragged row', 'x,label\n1,0\n2\n', /line 3: 1 fields, expected 2/],
    // a first row with some numbers is data: its empty or NaN field is reported, not taken for a header
    ['a missing value in a header-less first row', '1,,0\n2,3,1\n', /line 1, column 2: "" is not a finite number/],
    ['NaN in a header-less first row', 'NaN,4,0\n2,3,1\n', /line 1, column 1: "NaN" is not a finite number/],
    ['an empty label', 'x,label\n1,0\n2,\n', /line 3, column 2 \(label\): the label is empty/],
  ])('rejects %s naming the file', (_name, text, message) => {
    const path = write(text)
    expect(() => loadCsvDataset(path)).toThrow(FormatError)
    expect(() => loadCsvDataset(path)).toThrow(new RegExp(`t\\d+\\.csv: ${message.source}`))
  })
})

describe('loadCsvDataset with the model\'s class names', () => {
  it('treats integer labels as indices into them and checks the range', () => {
    const data = loadCsvDataset(write('1,2,1\n'), { labels: ['no', 'yes'] })
    expect(data.labelNames).toStrictEqual(['no', 'yes'])
    expect(Array.from(data.labels)).toStrictEqual([1])
    expect(() => loadCsvDataset(write('1,2,2\n'), { labels: ['no', 'yes'] })).toThrow(/label 2 is out of range: labels must be in \[0, 2\)/)
  })

  it('maps integer-looking labels by name when they are all among the names', () => {
    // training classes ['1', '2', 'x']: a test row labelled 1 is class "1" (index 0), not index 1
    const data = loadCsvDataset(write('0.5,1\n0.7,x\n0.1,2\n'), { labels: ['1', '2', 'x'] })
    expect(Array.from(data.labels)).toStrictEqual([0, 2, 1])
  })
})

describe('loadCsvDataset header detection', () => {
  it('takes numeric column names as a header when the label column is named label, class or target (or given)', () => {
    const data = loadCsvDataset(write('0,1,label\n5,6,a\n7,8,b\n'))
    expect(data.featureNames).toStrictEqual(['0', '1'])
    expect(data.count).toBe(2)
    expect(data.labelNames).toStrictEqual(['a', 'b'])
    expect(loadCsvDataset(write('10,20,kind\n5,6,a\n'), { labelColumn: 'kind' }).count).toBe(1)
  })

  it('reads a large table (200,000 rows) without exhausting the stack', () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i % 7},${i % 5}`).join('\n')
    const data = loadCsvDataset(write(`x,label\n${rows}\n`))
    expect(data.count).toBe(200_000)
    expect(data.labelNames).toStrictEqual(['0', '1', '2', '3', '4'])
  })
})
