import { ShapeError } from '../errors.js'

/** A dense float vector: the element type of every reference-math function. */
export type FloatArray = Float32Array | Float64Array

/**
 * A row-major matrix view over a typed array: item `i`, column `j` sits at `data[i * cols + j]`.
 * Logits are `rows = items`, `cols = classes`; features are `cols = D`.
 */
export interface Matrix {
  readonly data: FloatArray
  readonly rows: number
  readonly cols: number
}

/**
 * Wraps `data` as a `rows x cols` matrix, checking that the length matches.
 *
 * @throws {ShapeError} when `data.length !== rows * cols` or a dimension is not a non-negative integer.
 * @example
 * ```ts
 * const logits = matrix(new Float32Array([2, 0, 0, 1, 3, 0]), 2, 3) // 2 items, 3 classes
 * ```
 */
export function matrix(data: FloatArray, rows: number, cols: number): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new ShapeError('matrix', 'non-negative integer rows and cols', `${rows} x ${cols}`)
  }
  if (data.length !== rows * cols) {
    throw new ShapeError('matrix', `${rows * cols} values (${rows} x ${cols})`, `${data.length} values`)
  }
  return { data, rows, cols }
}

/**
 * Builds a matrix from nested arrays (all rows the same length), as float64.
 *
 * @throws {ShapeError} when rows differ in length.
 * @example
 * ```ts
 * matrixFromRows([[1, 2], [3, 4]]).data // Float64Array [1, 2, 3, 4]
 * ```
 */
export function matrixFromRows(rows: readonly (readonly number[])[], cols = rows[0]?.length ?? 0): Matrix {
  const data = new Float64Array(rows.length * cols)
  rows.forEach((values, i) => {
    if (values.length !== cols) throw new ShapeError(`row ${i}`, `${cols} values`, `${values.length} values`)
    data.set(values, i * cols)
  })
  return { data, rows: rows.length, cols }
}

/**
 * Row `i` of a matrix as a zero-copy view.
 *
 * @example
 * ```ts
 * row(matrix(new Float32Array([1, 2, 3, 4]), 2, 2), 1) // Float32Array [3, 4]
 * ```
 */
export function row(m: Matrix, i: number): FloatArray {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols)
}
