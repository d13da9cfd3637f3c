// NumPy's pairwise summation, on its own: the reference kernels use it too, and reduce.ts
// imports them.

/**
 * NumPy's pairwise summation of x[start … start+n), so sums along a contiguous axis round as
 * NumPy's do (0.5975, not 0.5974999999999999): eight running sums over blocks of up to 128
 * elements, halves added recursively above that.
 */
export function pairwiseSum(x: ArrayLike<number>, start: number, n: number): number {
  if (n < 8) {
    let s = -0;
    for (let i = 0; i < n; i++) s += x[start + i];
    return s;
  }
  if (n <= 128) {
    // eight running sums in locals (an array of them would be allocated per call)
    let r0 = x[start];
    let r1 = x[start + 1];
    let r2 = x[start + 2];
    let r3 = x[start + 3];
    let r4 = x[start + 4];
    let r5 = x[start + 5];
    let r6 = x[start + 6];
    let r7 = x[start + 7];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      const o = start + i;
      r0 += x[o];
      r1 += x[o + 1];
      r2 += x[o + 2];
      r3 += x[o + 3];
      r4 += x[o + 4];
      r5 += x[o + 5];
      r6 += x[o + 6];
      r7 += x[o + 7];
    }
    let s = r0 + r1 + (r2 + r3) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) s += x[start + i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(x, start, half) + pairwiseSum(x, start + half, n - half);
}
