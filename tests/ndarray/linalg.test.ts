// dot and matmul: NumPy's 1-D/2-D/N-D rules, the misalignment error, float32 results.
import { describe, expect, it } from 'vitest';
import { arange, array, dot, gemm, matmul, Rng, referenceKernels, zeros } from '../../src/index.js';

describe('dot', () => {
  it('multiplies matrices and vectors by NumPy rules', () => {
    expect(
      dot(
        array([
          [1, 2],
          [3, 4],
        ]),
        array([
          [5, 6],
          [7, 8],
        ]),
      ).toArray(),
    ).toEqual([
      [19, 22],
      [43, 50],
    ]);
    expect(dot(array([1, 2, 3]), array([4, 5, 6])).item()).toBe(32);
    expect(dot(array([1, 2, 3]), array([4, 5, 6])).shape).toEqual([]);
    expect(
      dot(
        array([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        array([7, 8]),
      ).toList(),
    ).toEqual([23, 53, 83]);
    expect(
      dot(
        array([1, 2]),
        array([
          [1, 3, 5],
          [2, 4, 6],
        ]),
      ).toList(),
    ).toEqual([5, 11, 17]);
  });
  it('keeps integer products integer', () => {
    expect(dot(arange(4).reshape(2, 2), arange(4).reshape(2, 2)).dtype).toBe('int32');
  });
  it('sums over the last and second-to-last axes for N-D operands', () => {
    const a = arange(24).reshape(2, 3, 4).astype('float64');
    const b = arange(20).reshape(4, 5).astype('float64');
    const r = dot(a, b);
    expect(r.shape).toEqual([2, 3, 5]);
    let s = 0;
    for (let k = 0; k < 4; k++) s += a.get(1, 2, k) * b.get(k, 3);
    expect(r.get(1, 2, 3)).toBe(s);
    const c = arange(2 * 4 * 3)
      .reshape(2, 4, 3)
      .astype('float64');
    const r2 = dot(a, c); // (2,3,4)·(2,4,3) → (2,3,2,3)
    expect(r2.shape).toEqual([2, 3, 2, 3]);
    let s2 = 0;
    for (let k = 0; k < 4; k++) s2 += a.get(0, 1, k) * c.get(1, k, 2);
    expect(r2.get(0, 1, 1, 2)).toBe(s2);
  });
  it('names the misaligned dimensions', () => {
    expect(() =>
      dot(
        array([
          [1, 2, 3],
          [4, 5, 6],
        ]),
        array([
          [1, 2],
          [3, 4],
        ]),
      ),
    ).toThrow('shapes (2,3) and (2,2) not aligned: 3 (dim 1) != 2 (dim 0)');
    expect(() => dot(array([1, 2, 3]), array([1, 2]))).toThrow(
      'shapes (3,) and (2,) not aligned: 3 (dim 0) != 2 (dim 0)',
    );
  });
  it('runs in float32 when both operands are float32', () => {
    const r = dot(array([[1, 2]], 'float32'), array([[3], [4]], 'float32'));
    expect(r.dtype).toBe('float32');
    expect(r.item()).toBe(11);
  });
  it('broadcasts matmul over stacks', () => {
    const a = arange(12).reshape(2, 2, 3).astype('float64');
    const b = arange(6).reshape(3, 2).astype('float64');
    const r = matmul(a, b);
    expect(r.shape).toEqual([2, 2, 2]);
    expect(r.index(1).toArray()).toEqual(dot(a.index(1), b).toArray());
  });
});

describe('reference gemm', () => {
  it('matches a naive triple loop for every transpose and accumulate combination', () => {
    const rng = new Rng(7);
    for (const [M, N, K] of [
      [1, 1, 1],
      [3, 5, 7],
      [17, 4, 9],
    ]) {
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          for (const accumulate of [false, true]) {
            const A = rng.randn(M * K).data as Float64Array;
            const B = rng.randn(K * N).data as Float64Array;
            const C = rng.randn(M * N).data as Float64Array;
            const expected = Float64Array.from(C);
            for (let i = 0; i < M; i++) {
              for (let j = 0; j < N; j++) {
                let s = accumulate ? expected[i * N + j] : 0;
                for (let k = 0; k < K; k++) {
                  const a = transA ? A[k * M + i] : A[i * K + k];
                  const b = transB ? B[j * K + k] : B[k * N + j];
                  s += a * b;
                }
                expected[i * N + j] = s;
              }
            }
            referenceKernels.gemm(transA, transB, M, N, K, A, B, C, accumulate);
            for (let i = 0; i < M * N; i++) expect(C[i]).toBeCloseTo(expected[i], 12);
          }
        }
      }
    }
  });
});

describe('gemm with transposed operands', () => {
  const rng = new Rng(11);
  const a = rng.randn(3, 4);
  const b = rng.randn(4, 5);
  it('equals dot of the transposes for every combination', () => {
    const expected = dot(a, b).toList();
    const close = (r: number[]) => r.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 12));
    close(gemm(a, b).toList());
    close(gemm(a.T, b, { transA: true }).toList());
    close(gemm(a, b.T, { transB: true }).toList());
    close(gemm(a.T, b.T, { transA: true, transB: true }).toList());
  });
  it('writes into out, and accumulates when asked', () => {
    const out = zeros([3, 5]).fill(1);
    const r = gemm(a, b, { out, accumulate: true });
    expect(r).toBe(out);
    dot(a, b)
      .toList()
      .forEach((v, i) => expect(out.data[i]).toBeCloseTo(v + 1, 12));
    gemm(a, b, { out });
    dot(a, b)
      .toList()
      .forEach((v, i) => expect(out.data[i]).toBeCloseTo(v, 12));
  });
  it('names misaligned and wrongly shaped operands', () => {
    expect(() => gemm(a, b, { transB: true })).toThrow(
      'shapes (3,4) and (4,5) not aligned: 4 (dim 1) != 5 (dim 1)',
    );
    expect(() => gemm(a, b, { out: zeros([5, 3]) })).toThrow(
      'gemm: expected out of shape (3,5), got (5,3)',
    );
    expect(() => gemm(a.ravel(), b)).toThrow(
      'gemm: expected 2-D operands, got shapes (12,) and (4,5)',
    );
  });
});
