/** A square matrix as rows of numbers. */
export type Matrix = readonly (readonly number[])[];

/** A pivot smaller than this share of the matrix's largest entry counts as zero. */
const PIVOT_EPSILON = 1e-12;

/**
 * Solves A·x = b for a symmetric positive-definite A (such as a penalised Hessian) by Cholesky
 * factorisation, A = L·Lᵀ. Returns null when A is not clearly positive definite, so the caller
 * can fall back to {@link solveGaussian}.
 */
export function solveCholesky(a: Matrix, b: readonly number[]): number[] | null {
  const n = checkSize(a, b);
  const tiny = PIVOT_EPSILON * largestEntry(a);
  const l: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = a[j][j];
    for (let k = 0; k < j; k++) d -= l[j][k] * l[j][k];
    if (!(d > tiny)) return null;
    const pivot = Math.sqrt(d);
    l[j][j] = pivot;
    for (let i = j + 1; i < n; i++) {
      let s = a[i][j];
      for (let k = 0; k < j; k++) s -= l[i][k] * l[j][k];
      l[i][j] = s / pivot;
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i][k] * y[k];
    y[i] = s / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < n; k++) s -= l[k][i] * x[k];
    x[i] = s / l[i][i];
  }
  return x;
}

/**
 * Solves A·x = b for any square A by Gaussian elimination with partial pivoting (the row with
 * the largest entry in the column becomes the pivot row). Returns null when A is singular or
 * nearly so.
 */
export function solveGaussian(a: Matrix, b: readonly number[]): number[] | null {
  const n = checkSize(a, b);
  const tiny = PIVOT_EPSILON * largestEntry(a);
  const m = a.map((row, i) => [...row, b[i]]);
  for (let col = 0; col < n; col++) {
    let best = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[best][col])) best = r;
    if (!(Math.abs(m[best][col]) > tiny)) return null;
    [m[col], m[best]] = [m[best], m[col]];
    for (let r = col + 1; r < n; r++) {
      const factor = m[r][col] / m[col][col];
      if (factor === 0) continue;
      for (let c = col; c <= n; c++) m[r][c] -= factor * m[col][c];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let k = i + 1; k < n; k++) s -= m[i][k] * x[k];
    x[i] = s / m[i][i];
  }
  return x;
}

/**
 * Solves A·x = b for a symmetric A that should be positive definite: Cholesky first, Gaussian
 * elimination if that fails, and if A is singular (features that are copies of each other, or a
 * fit without penalty on separable data) adds a small and growing amount to the diagonal until a
 * solution exists. Always returns finite numbers for a finite A and b.
 */
export function solveSymmetric(a: Matrix, b: readonly number[]): number[] {
  const direct = solveCholesky(a, b) ?? solveGaussian(a, b);
  if (direct && direct.every(Number.isFinite)) return direct;
  const diagonal = Math.max(1, ...a.map((row, i) => Math.abs(row[i])));
  for (let ridge = 1e-10 * diagonal; ridge < 1e6 * diagonal; ridge *= 100) {
    const damped = a.map((row, i) => row.map((v, j) => (i === j ? v + ridge : v)));
    const x = solveCholesky(damped, b) ?? solveGaussian(damped, b);
    if (x && x.every(Number.isFinite)) return x;
  }
  throw new RangeError('the linear system has no finite solution');
}

function checkSize(a: Matrix, b: readonly number[]): number {
  const n = b.length;
  if (a.length !== n || a.some((row) => row.length !== n)) throw new RangeError(`the matrix must be ${n}×${n}`);
  return n;
}

function largestEntry(a: Matrix): number {
  let largest = 0;
  for (const row of a) for (const v of row) largest = Math.max(largest, Math.abs(v));
  return largest;
}
