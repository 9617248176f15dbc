import { tridiagonalQl } from '../tridiagonalQl.ts';
import type { Prec, WasmKernels } from '../wasm/kernels.ts';
import { MERGE_TASKS } from './mergeTasks.ts';

/** Subproblems up to this size are solved by implicit QL (as LAPACK's SMLSIZ). */
export const STEDC_LEAF = 32;

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix (d, e) (e[i] couples i and
 * i+1) by Cuppen's divide and conquer, the LAPACK `stedc` scheme: the matrix is scaled to unit
 * norm and split where a subdiagonal entry is negligible; each unreduced block is torn in two by
 * a rank-one correction, both halves are solved recursively (QL at the leaves), and the halves'
 * eigenvectors are merged through the rank-one update's eigenvectors (see {@link mergeRankOne}).
 *
 * z (element index in kernel memory, n×n column-major, leading dimension ldz) receives the
 * eigenvectors as columns. d is overwritten by the eigenvalues in the order of those columns
 * (not sorted); e is destroyed. Returns the column order that sorts the eigenvalues ascending.
 */
export function stedc(k: WasmKernels, prec: Prec, n: number, d: Float64Array, e: Float64Array, z: number, ldz: number): Int32Array {
  k.zero(prec, n, n, z, ldz);
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]), i < n - 1 ? Math.abs(e[i]) : 0);
  if (norm > 0) {
    for (let i = 0; i < n; i++) d[i] /= norm;
    for (let i = 0; i < n - 1; i++) e[i] /= norm;
  }
  const eps = Number.EPSILON / 2;
  let start = 0;
  while (start < n) {
    let end = start;
    while (end < n - 1) {
      const tiny = eps * Math.sqrt(Math.abs(d[end])) * Math.sqrt(Math.abs(d[end + 1]));
      if (Math.abs(e[end]) <= tiny) break;
      end++;
    }
    // unreduced block start..end (inclusive)
    if (end < n - 1) e[end] = 0;
    divide(k, prec, d, e, start, end + 1, z, ldz);
    start = end + 1;
  }
  if (norm > 0) for (let i = 0; i < n; i++) d[i] *= norm;
  return Int32Array.from(d.keys()).sort((x, y) => d[x] - d[y] || x - y);
}

/** Solves the unreduced block lo..hi−1 into Z(lo:hi, lo:hi) and d[lo:hi]. */
function divide(k: WasmKernels, prec: Prec, d: Float64Array, e: Float64Array, lo: number, hi: number, z: number, ldz: number): void {
  const size = hi - lo;
  if (size <= STEDC_LEAF) {
    leaf(k, prec, d, e, lo, hi, z, ldz);
    return;
  }
  const mid = lo + (size >> 1);
  const beta = e[mid - 1];
  d[mid - 1] -= Math.abs(beta);
  d[mid] -= Math.abs(beta);
  divide(k, prec, d, e, lo, mid, z, ldz);
  divide(k, prec, d, e, mid, hi, z, ldz);
  mergeRankOne(k, prec, d, lo, mid, hi, beta, z, ldz);
}

/** Implicit QL on a small block; its eigenvectors (rows of zt) become the columns of Z(lo:hi, lo:hi). */
function leaf(k: WasmKernels, prec: Prec, d: Float64Array, e: Float64Array, lo: number, hi: number, z: number, ldz: number): void {
  const m = hi - lo;
  const dd = d.subarray(lo, hi);
  const ee = new Float64Array(m);
  for (let i = 0; i < m - 1; i++) ee[i] = e[lo + i];
  const zt = new Float64Array(m * m);
  for (let i = 0; i < m; i++) zt[i * m + i] = 1;
  tridiagonalQl(dd, ee, zt, m);
  const h = k.view(prec);
  for (let c = 0; c < m; c++) {
    const dst = z + (lo + c) * ldz + lo;
    for (let r = 0; r < m; r++) h[dst + r] = zt[c * m + r];
  }
}

/**
 * Merges two solved halves: with Q = diag(Q1, Q2) the halves' eigenvectors (in Z(lo:hi, lo:hi))
 * the block is Q·(D + ρ·z·zᵀ)·Qᵀ, z = [last row of Q1; ±first row of Q2]/√2, ρ = 2|β| (LAPACK
 * `laed1`–`laed3`). Deflation: a component with ρ|z_i| below 8·eps·max(|d|, |z|) keeps its
 * eigenpair; two eigenvalues closer than that (after a Givens rotation zeroes one z component)
 * deflate one of them. The k remaining ones solve the secular equation; z is then recomputed
 * from the computed roots (Löwner's formula, Gu & Eisenstat), which makes the eigenvectors
 * u_j = ẑ./(d − λ_j) of the update orthogonal to working precision whatever the root accuracy.
 * The new eigenvectors are Q·U as two GEMMs (top rows from the columns that have top parts,
 * bottom rows likewise), deflated columns are copied. The per-root work runs as
 * {@link MERGE_TASKS}, split with the kernels' helper thread when it is up.
 */
function mergeRankOne(k: WasmKernels, prec: Prec, d: Float64Array, lo: number, mid: number, hi: number, beta: number, z: number, ldz: number): void {
  const n1 = mid - lo;
  const N = hi - lo;
  const col = (c: number): number => z + (lo + c) * ldz + lo; // Z(lo, lo + c)
  let h = k.view(prec);
  const zv = new Float64Array(N);
  for (let c = 0; c < n1; c++) zv[c] = h[col(c) + n1 - 1];
  const sign = beta < 0 ? -1 : 1;
  for (let c = n1; c < N; c++) zv[c] = sign * h[col(c) + n1];
  for (let c = 0; c < N; c++) zv[c] *= Math.SQRT1_2;
  const rho = 2 * Math.abs(beta);
  const dl = d.subarray(lo, hi);
  // column types: bit 1 = has a top part, bit 2 = has a bottom part
  const type = new Uint8Array(N);
  for (let c = 0; c < N; c++) type[c] = c < n1 ? 1 : 2;
  const order = Int32Array.from(dl.keys()).sort((x, y) => dl[x] - dl[y] || x - y);
  let dmax = 0;
  let zmax = 0;
  for (let c = 0; c < N; c++) {
    dmax = Math.max(dmax, Math.abs(dl[c]));
    zmax = Math.max(zmax, Math.abs(zv[c]));
  }
  const eps = prec === 'f64' ? Number.EPSILON / 2 : 2 ** -24;
  const tol = 8 * eps * Math.max(dmax, zmax);
  if (rho * zmax <= tol) return; // every pair deflates: Q and d already are the answer
  const keep: number[] = []; // non-deflated columns, ascending eigenvalue
  const defl: number[] = [];
  let pj = -1;
  for (const c of order) {
    if (rho * Math.abs(zv[c]) <= tol) {
      defl.push(c);
      continue;
    }
    if (pj < 0) {
      pj = c;
      continue;
    }
    const s0 = zv[pj];
    const c0 = zv[c];
    const tau = Math.hypot(c0, s0);
    const t = dl[c] - dl[pj];
    const cs = c0 / tau;
    const sn = -s0 / tau;
    if (Math.abs(t * cs * sn) <= tol) {
      // rotate columns pj, c so that z[pj] = 0: pj deflates with the rotated diagonal entry
      zv[c] = tau;
      zv[pj] = 0;
      type[c] |= type[pj];
      type[pj] |= type[c];
      h = k.view(prec);
      const p = col(pj);
      const q = col(c);
      for (let r = 0; r < N; r++) {
        const x = h[p + r];
        const y = h[q + r];
        h[p + r] = cs * x + sn * y;
        h[q + r] = cs * y - sn * x;
      }
      const dp = dl[pj] * cs * cs + dl[c] * sn * sn;
      dl[c] = dl[pj] * sn * sn + dl[c] * cs * cs;
      dl[pj] = dp;
      defl.push(pj);
    } else {
      keep.push(pj);
    }
    pj = c;
  }
  keep.push(pj);
  const kk = keep.length;
  // columns with a top part (types 1, 3) and with a bottom part (2, 3); U's rows to match
  const top = keep.flatMap((c, s) => ((type[c] & 1) !== 0 ? [s] : []));
  const bot = keep.flatMap((c, s) => ((type[c] & 2) !== 0 ? [s] : []));
  const n2 = N - n1;
  const mark = k.mark();
  const pd = k.alloc(kk, 'f64');
  const pz = k.alloc(kk, 'f64');
  const lam = k.alloc(kk, 'f64');
  const zh = k.alloc(kk, 'f64');
  const pTop = k.alloc(top.length, 'f64');
  const pBot = k.alloc(bot.length, 'f64');
  const del = k.alloc(kk * kk, 'f64'); // column j: d_i − λ_j, then the eigenvector u_j
  const qTop = k.alloc(n1 * top.length, prec);
  const qBot = k.alloc(n2 * bot.length, prec);
  const uTop = k.alloc(top.length * kk, prec);
  const uBot = k.alloc(bot.length * kk, prec);
  const qDef = k.alloc(N * defl.length, prec);
  const h64 = k.view('f64');
  keep.forEach((c, s) => {
    h64[pd + s] = dl[c];
    h64[pz + s] = zv[c];
  });
  h64.set(top, pTop);
  h64.set(bot, pBot);
  k.task('secularRoots', MERGE_TASKS.secularRoots, kk, [kk, pd, pz, rho, del, lam]);
  k.task('lownerZ', MERGE_TASKS.lownerZ, kk, [kk, pd, pz, del, zh]);
  k.task('lownerVectors', MERGE_TASKS.lownerVectors, kk, [kk, del, zh, prec === 'f64' ? 1 : 0, uTop, top.length, uBot, bot.length, pTop, pBot]);
  top.forEach((s, t) => k.copy(prec, n1, 1, col(keep[s]), ldz, qTop + t * n1, n1));
  bot.forEach((s, t) => k.copy(prec, n2, 1, col(keep[s]) + n1, ldz, qBot + t * n2, n2));
  defl.forEach((c, t) => k.copy(prec, N, 1, col(c), ldz, qDef + t * N, N));
  k.zero(prec, N, kk, col(0), ldz);
  k.gemm(prec, false, false, n1, kk, top.length, 1, qTop, n1, uTop, top.length, col(0), ldz);
  k.gemm(prec, false, false, n2, kk, bot.length, 1, qBot, n2, uBot, bot.length, col(0) + n1, ldz);
  k.copy(prec, N, defl.length, qDef, N, col(kk), ldz);
  const dDef = defl.map((c) => dl[c]);
  const hl = k.view('f64');
  for (let j = 0; j < kk; j++) dl[j] = hl[lam + j];
  dDef.forEach((v, t) => (dl[kk + t] = v));
  k.release(mark);
}
