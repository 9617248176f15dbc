import { fail } from '../errors.ts';

/**
 * Applies the rotations of one QL sweep to the rows of zt: rotation i (i = hi down to lo) mixes
 * rows i and i+1. Consecutive rotations share a row, so they are fused: each element of the
 * rows is loaded and stored once per group of up to four rotations instead of twice per rotation.
 */
function applySweep(zt: Float64Array, n: number, cs: Float64Array, sn: Float64Array, hi: number, lo: number): void {
  let i = hi;
  for (; i - 3 >= lo; i -= 4) {
    const c1 = cs[i];
    const s1 = sn[i];
    const c2 = cs[i - 1];
    const s2 = sn[i - 1];
    const c3 = cs[i - 2];
    const s3 = sn[i - 2];
    const c4 = cs[i - 3];
    const s4 = sn[i - 3];
    const r0 = (i - 3) * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    const r4 = r3 + n;
    for (let k = 0; k < n; k++) {
      const a = zt[r4 + k];
      const b = zt[r3 + k];
      zt[r4 + k] = s1 * b + c1 * a;
      const t1 = c1 * b - s1 * a;
      const x2 = zt[r2 + k];
      zt[r3 + k] = s2 * x2 + c2 * t1;
      const t2 = c2 * x2 - s2 * t1;
      const x1 = zt[r1 + k];
      zt[r2 + k] = s3 * x1 + c3 * t2;
      const t3 = c3 * x1 - s3 * t2;
      const x0 = zt[r0 + k];
      zt[r1 + k] = s4 * x0 + c4 * t3;
      zt[r0 + k] = c4 * x0 - s4 * t3;
    }
  }
  for (; i - 1 >= lo; i -= 2) {
    const c1 = cs[i];
    const s1 = sn[i];
    const c2 = cs[i - 1];
    const s2 = sn[i - 1];
    const r0 = (i - 1) * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    for (let k = 0; k < n; k++) {
      const a = zt[r2 + k];
      const b = zt[r1 + k];
      const c = zt[r0 + k];
      zt[r2 + k] = s1 * b + c1 * a;
      const t = c1 * b - s1 * a;
      zt[r1 + k] = s2 * c + c2 * t;
      zt[r0 + k] = c2 * c - s2 * t;
    }
  }
  if (i >= lo) {
    const c1 = cs[i];
    const s1 = sn[i];
    const r1 = i * n;
    const r2 = r1 + n;
    for (let k = 0; k < n; k++) {
      const a = zt[r2 + k];
      const b = zt[r1 + k];
      zt[r2 + k] = s1 * b + c1 * a;
      zt[r1 + k] = c1 * b - s1 * a;
    }
  }
}

/**
 * Implicit QL with Wilkinson shifts on the symmetric tridiagonal (d, e) (e[i] couples i, i+1),
 * accumulating the rotations into the rows of zt (n×n, skipped when null: eigenvalues only). On
 * return d holds the eigenvalues (unsorted) and row i of zt the eigenvector of d[i] in the basis
 * zt started in. e is overwritten.
 */
export function tridiagonalQl(d: Float64Array, e: Float64Array, zt: Float64Array | null, n: number): void {
  const cs = new Float64Array(n);
  const sn = new Float64Array(n);
  let tst = 0;
  for (let l = 0; l < n; l++) {
    tst = Math.max(tst, Math.abs(d[l]) + Math.abs(e[l]));
    let iter = 0;
    for (;;) {
      // find a negligible subdiagonal element e[m] (m ≥ l)
      let m = l;
      while (m < n - 1) {
        if (Math.abs(e[m]) <= Number.EPSILON * (Math.abs(d[m]) + Math.abs(d[m + 1]))) break;
        // relative to the matrix norm too: a cluster of (numerically) zero eigenvalues never
        // passes the local test, and QL then cycles without converging (rank-deficient Gram matrices)
        if (Math.abs(e[m]) <= Number.EPSILON * tst) break;
        m++;
      }
      if (m === l) break;
      if (++iter > 60) fail('INTERNAL', `eigh: the QL iteration did not converge for eigenvalue ${l} of ${n}.`);
      // Wilkinson shift from the leading 2×2 block
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        cs[i] = c;
        sn[i] = s;
      }
      if (zt) applySweep(zt, n, cs, sn, m - 1, underflow ? i + 1 : l);
      if (underflow) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}
