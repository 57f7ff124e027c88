import { basename } from 'node:path'
import { FormatError, InputError, OptionError } from '@sd-dropout/sdk'
import type { Dataset } from './dataset.js'
import { readDataFile } from './idx-dataset.js'
import { parseCsv } from './csv-table.js'

/** Options of {@link loadCsvDataset}. */
export interface CsvDatasetOptions {
  /** The label column: a header name or a 0-based index; default the column named `label` (or `class`, `target`), else the last. */
  readonly labelColumn?: string
  /** Class names (e.g. the model's, for a test file): text labels must be among them, integer labels index them. */
  readonly labels?: readonly string[]
  /** C when labels are integers (they must lie in [0, C)); default the largest label + 1. */
  readonly classes?: number
}

/** A data set read from a CSV file, with its class names and feature names. */
export interface CsvDataset extends Dataset {
  readonly labelNames: readonly string[]
  /** The header's feature names, or `x0`, `x1`, ... without a header. */
  readonly featureNames: readonly string[]
}

const LABEL_HEADERS = ['label', 'class', 'target']

/**
 * Reads a CSV table of numeric features and one label column as a `vector` data set (item shape
 * [F]). The first row is a header when its label field is `label`, `class`, `target` or the given
 * label column's name, or when none of its feature fields is a number (a first row with some
 * numbers is data, and its other fields are reported). Labels that are all among the given `labels`
 * map by name; else labels that are all non-negative integers are class indices (class names `0`
 * ... `C - 1`, or the given `labels`); otherwise each label is a class name: one of the given
 * `labels`, or, without them, each distinct label is a class, in sorted order. An empty label is an
 * error. Features are used as they are
 * (the SDK applies no preprocessing to numeric inputs, so a model must be served the same values).
 *
 * @throws {InputError} for a missing file; {@link FormatError} naming the file and line for an
 *   empty table, a feature that is not a finite number, an empty label or an integer label out of range;
 *   {@link InputError} for a label not among the given class names; {@link OptionError} for an
 *   unknown label column.
 * @example
 * ```ts
 * const iris = loadCsvDataset('iris.csv', { labelColumn: 'species' }) // itemShape [4], labels setosa, ...
 * ```
 */
export function loadCsvDataset(path: string, options: CsvDatasetOptions = {}): CsvDataset {
  const file = basename(path)
  const { rows, lines } = parseCsv(new TextDecoder().decode(readDataFile(path)), file)
  const first = rows[0]
  if (first === undefined) throw new FormatError(file, 'empty CSV file: expected rows of numeric features and a label')
  if (first.length < 2) throw new FormatError(file, `line ${lines[0]}: ${first.length} column; expected at least one feature and a label`)
  const labelIndex = labelColumnIndex(first, options.labelColumn, file)
  const hasHeader = isHeader(first, labelIndex, options.labelColumn)
  const body = hasHeader ? rows.slice(1) : rows
  const bodyLines = hasHeader ? lines.slice(1) : lines
  if (body.length === 0) throw new FormatError(file, 'no data rows after the header')
  const featureColumns = first.map((_, column) => column).filter((column) => column !== labelIndex)
  const featureNames = featureColumns.map((column, j) => (hasHeader ? (first[column] as string) : `x${j}`))
  const features = new Float32Array(body.length * featureColumns.length)
  body.forEach((row, i) => {
    featureColumns.forEach((column, j) => {
      const field = (row[column] as string).trim()
      const value = Number(field)
      if (field === '' || !Number.isFinite(value)) {
        throw new FormatError(file, `line ${bodyLines[i]}, column ${column + 1}${hasHeader ? ` (${first[column]})` : ''}: "${field}" is not a finite number`, { line: bodyLines[i] ?? 0, column: column + 1 })
      }
      features[i * featureColumns.length + j] = value
    })
  })
  const raw = body.map((row) => (row[labelIndex] as string).trim())
  const empty = raw.indexOf('')
  if (empty >= 0) throw new FormatError(file, `line ${bodyLines[empty]}, column ${labelIndex + 1}${hasHeader ? ` (${first[labelIndex]})` : ''}: the label is empty`, { line: bodyLines[empty] ?? 0, column: labelIndex + 1 })
  const { labels, labelNames } = encodeLabels(raw, bodyLines, file, options)
  return { name: file, images: features, labels, count: body.length, itemShape: [featureColumns.length], classes: labelNames.length, labelNames, featureNames }
}

function labelColumnIndex(first: readonly string[], given: string | undefined, file: string): number {
  if (given === undefined) {
    const named = first.findIndex((field) => LABEL_HEADERS.includes(field.trim().toLowerCase()))
    return named >= 0 ? named : first.length - 1
  }
  const byName = first.findIndex((field) => field.trim() === given)
  if (byName >= 0) return byName
  if (/^\d+$/.test(given) && Number(given) < first.length) return Number(given)
  throw new OptionError('--label-column', `"${given}" is neither a header of ${file} (${first.join(', ')}) nor a column index below ${first.length}`)
}

function encodeLabels(raw: readonly string[], lines: readonly number[], file: string, options: CsvDatasetOptions): { labels: Int32Array; labelNames: string[] } {
  const labels = new Int32Array(raw.length)
  const names = options.labels
  const byName = names !== undefined && raw.every((label) => names.includes(label))
  if (!byName && raw.every((label) => /^\d+$/.test(label))) {
    raw.forEach((label, i) => (labels[i] = Number(label)))
    const classes = names?.length ?? options.classes ?? labels.reduce((max, label) => Math.max(max, label), 0) + 1
    const bad = labels.findIndex((label) => label >= classes)
    if (bad >= 0) throw new FormatError(file, `line ${lines[bad]}: label ${labels[bad]} is out of range: labels must be in [0, ${classes})`, { line: lines[bad] ?? 0 })
    return { labels, labelNames: names === undefined ? Array.from({ length: classes }, (_, c) => String(c)) : [...names] }
  }
  if (names !== undefined) {
    raw.forEach((label, i) => {
      const index = names.indexOf(label)
      if (index < 0) throw new InputError(`${file}, line ${lines[i]}: label "${label}" is not one of the model's classes (${names.join(', ')})`, { file, line: lines[i] ?? 0 })
      labels[i] = index
    })
    return { labels, labelNames: [...names] }
  }
  const labelNames = [...new Set(raw)].sort()
  raw.forEach((label, i) => (labels[i] = labelNames.indexOf(label)))
  return { labels, labelNames }
}

/** Whether the first row names the columns (see `loadCsvDataset`). */
function isHeader(first: readonly string[], labelIndex: number, labelColumn: string | undefined): boolean {
  const label = (first[labelIndex] ?? '').trim()
  if (LABEL_HEADERS.includes(label.toLowerCase()) || (labelColumn !== undefined && label === labelColumn)) return true
  return first.every((field, column) => column === labelIndex || !isNumber(field))
}

function isNumber(field: string): boolean {
  return field.trim() !== '' && Number.isFinite(Number(field))
}
