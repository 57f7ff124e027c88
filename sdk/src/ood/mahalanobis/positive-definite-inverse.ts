import { InputError } from '../../errors.js'

/**
 * Inverse of a symmetric positive-definite n x n matrix (row-major, float64) by Cholesky
 * factorisation A = L L^T, then A^-1 = L^-T L^-1. O(n^3); only the lower triangle of `matrix` is
 * read. The result is exactly symmetric (its upper triangle is mirrored from the lower).
 *
 * @param matrix n x n row-major, symmetric positive definite
 * @param n the order
 * @param what names the matrix in the error
 * @throws {InputError} when a pivot is not positive and finite (the matrix is not positive definite
 *   in float64); `details.pivot` says where the factorisation stopped.
 * @example
 * ```ts
 * positiveDefiniteInverse(new Float64Array([4, 2, 2, 3]), 2) // [0.375, -0.25, -0.25, 0.5]
 * ```
 */
export function positiveDefiniteInverse(matrix: Float64Array, n: number, what = 'matrix'): Float64Array {
  const lower = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = matrix[i * n + j] as number
      for (let k = 0; k < j; k++) s -= (lower[i * n + k] as number) * (lower[j * n + k] as number)
      if (i === j) {
        if (!(s > 0) || !Number.isFinite(s)) {
          throw new InputError(`${what} is not positive definite (Cholesky pivot ${i} is ${s})`, { pivot: i, value: s })
        }
        lower[i * n + i] = Math.sqrt(s)
      } else {
        lower[i * n + j] = s / (lower[j * n + j] as number)
      }
    }
  }
  // inverseLower = L^-1 (lower triangular), by forward substitution column by column.
  const inverseLower = new Float64Array(n * n)
  for (let j = 0; j < n; j++) {
    inverseLower[j * n + j] = 1 / (lower[j * n + j] as number)
    for (let i = j + 1; i < n; i++) {
      let s = 0
      for (let k = j; k < i; k++) s -= (lower[i * n + k] as number) * (inverseLower[k * n + j] as number)
      inverseLower[i * n + j] = s / (lower[i * n + i] as number)
    }
  }
  // A^-1 = (L^-1)^T L^-1: entry (i, j), i >= j, is sum_{k >= i} inverseLower[k][i] * inverseLower[k][j].
  const inverse = new Float64Array(n * n)
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0
      for (let k = i; k < n; k++) s += (inverseLower[k * n + i] as number) * (inverseLower[k * n + j] as number)
      inverse[i * n + j] = s
      inverse[j * n + i] = s
    }
  }
  return inverse
}
