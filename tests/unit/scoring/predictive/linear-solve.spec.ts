import { solveCholesky, solveGaussian, solveSymmetric } from '@ce/scoring/predictive';

describe('solving linear systems', () => {
  // A symmetric positive-definite matrix and b = A · [1, -2, 3].
  const a = [
    [4, 2, 0.6],
    [2, 5, 1],
    [0.6, 1, 3],
  ];
  const b = [4 - 4 + 1.8, 2 - 10 + 3, 0.6 - 2 + 9];

  it.each([
    ['Cholesky', solveCholesky],
    ['Gaussian elimination', solveGaussian],
    ['the symmetric solver', solveSymmetric],
  ])('%s finds the solution of a positive-definite system', (_, solve) => {
    const x = solve(a, b);
    expect(x).not.toBeNull();
    [1, -2, 3].forEach((want, i) => expect(x?.[i]).toBeCloseTo(want, 12));
  });

  it('Gaussian elimination pivots past a zero on the diagonal', () => {
    const x = solveGaussian([[0, 1], [1, 0]], [2, 3]);
    expect(x).toEqual([3, 2]);
  });

  it('Cholesky declines a matrix that is not positive definite', () => {
    expect(solveCholesky([[1, 2], [2, 1]], [1, 1])).toBeNull();
  });

  it('Gaussian elimination declines a singular matrix', () => {
    expect(solveGaussian([[1, 2], [2, 4]], [1, 2])).toBeNull();
  });

  it('the symmetric solver still gives a finite answer for a singular matrix', () => {
    const x = solveSymmetric([[1, 1], [1, 1]], [2, 2]);
    expect(x.every(Number.isFinite)).toBe(true);
    expect(x[0] + x[1]).toBeCloseTo(2, 6);
  });
});
