import type { Prec, WasmKernels } from '../wasm/kernels.ts';

/** Panel width of the blocked reduction (columns reduced per rank-2·nb trailing update). */
export const SYTRD_NB = 32;

/**
 * Householder reduction of a symmetric n×n matrix to tridiagonal form, the LAPACK `sytrd`
 * scheme for the lower triangle: panels of nb columns are reduced with `latrd`-style
 * accumulation (each column's symmetric product reads the not-yet-updated trailing matrix, and
 * the panel's earlier reflectors are applied through the accumulated W), then the trailing
 * matrix gets one rank-2·nb update as a GEMM. The last columns (< nb + 1) are reduced one at a
 * time.
 *
 * `a` (element index in kernel memory, column-major, leading dimension `lda`) holds the lower
 * triangle on entry; on return its strict lower part holds the reflectors: reflector i is
 * H_i = I − tau[i]·v vᵀ with v = [0…0, 1, A(i+2:n, i)] (the 1 at row i+1), and
 * A = Q·T·Qᵀ with Q = H_0·H_1⋯H_{n−2}. d (n) gets the diagonal of T, e (n − 1) its subdiagonal.
 */
export function sytrd(k: WasmKernels, prec: Prec, n: number, a: number, lda: number, d: Float64Array, e: Float64Array, tau: Float64Array): void {
  const nb = SYTRD_NB;
  const mark = k.mark();
  const w = k.alloc(n * nb, prec); // panel W, leading dimension n
  const tmp = k.alloc(2 * nb, prec); // rows of the panel as contiguous vectors
  const xy = k.alloc(2 * n * 2 * nb, prec); // [V W] and [W V] for the trailing update
  let i = 0;
  for (; n - i > nb + 1; i += nb) {
    const m = n - i;
    latrd(k, prec, m, nb, a + i * lda + i, lda, e, tau, i, w, n, tmp);
    syr2kLower(k, prec, m - nb, nb, a + i * lda + i + nb, lda, w + nb, n, a + (i + nb) * lda + i + nb, lda, xy);
    const h = k.view(prec);
    for (let j = i; j < i + nb; j++) {
      h[a + j * lda + j + 1] = e[j];
      d[j] = h[a + j * lda + j];
    }
  }
  sytd2(k, prec, n - i, a + i * lda + i, lda, d, e, tau, i, w);
  k.release(mark);
}

/**
 * Generates the reflector that maps [alpha; x] (x at h[x0 … x0+m−1]) onto [beta; 0]: scales x
 * in place to the reflector's tail and returns [beta, tau] (tau = 0 when x is already 0).
 * LAPACK `larfg`, with the norm taken in float64 and scaled against overflow.
 */
function larfg(h: Float64Array | Float32Array, alpha: number, x0: number, m: number): [number, number] {
  let scale = 0;
  for (let i = 0; i < m; i++) scale = Math.max(scale, Math.abs(h[x0 + i]));
  if (scale === 0) return [alpha, 0];
  let ssq = 0;
  for (let i = 0; i < m; i++) {
    const v = h[x0 + i] / scale;
    ssq += v * v;
  }
  const xnorm = scale * Math.sqrt(ssq);
  const beta = -Math.sign(alpha || 1) * Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const f = 1 / (alpha - beta);
  for (let i = 0; i < m; i++) h[x0 + i] *= f;
  return [beta, tau];
}

/**
 * Reduces the first nb columns of the m×m lower triangle at p, returning W (m×nb at w, leading
 * dimension ldw) such that the trailing block's update is A22 −= V·W22ᵀ + W22·Vᵀ. As in LAPACK
 * `latrd` (lower): column i is first brought up to date with the panel's previous reflectors,
 * its reflector generated (A(i+1, i) set to 1 and e[off+i] = beta), then
 * w_i = tau·(A22·v − W·(Vᵀv) − V·(Wᵀv)) and w_i −= (tau/2)(w_iᵀv)·v.
 */
function latrd(k: WasmKernels, prec: Prec, m: number, nb: number, p: number, lda: number, e: Float64Array, tau: Float64Array, off: number, w: number, ldw: number, tmp: number): void {
  for (let i = 0; i < nb; i++) {
    const col = p + i * lda; // A(0, i)
    const h = k.view(prec); // no allocation below: the view stays valid
    if (i > 0) {
      // A(i:m, i) −= A(i:m, 0:i)·W(i, 0:i)ᵀ + W(i:m, 0:i)·A(i, 0:i)ᵀ (the rows as contiguous vectors)
      for (let j = 0; j < i; j++) {
        h[tmp + j] = h[w + j * ldw + i];
        h[tmp + nb + j] = h[p + j * lda + i];
      }
      k.gemvN(prec, m - i, i, p + i, lda, tmp, col + i, -1);
      k.gemvN(prec, m - i, i, w + i, ldw, tmp + nb, col + i, -1);
    }
    const len = m - i - 1; // reflector length
    const [beta, t] = larfg(h, h[col + i + 1], col + i + 2, len - 1);
    e[off + i] = beta;
    tau[off + i] = t;
    h[col + i + 1] = 1;
    const v = col + i + 1; // A(i+1:m, i)
    const wi = w + i * ldw + i + 1; // W(i+1:m, i)
    k.symv(prec, len, p + (i + 1) * lda + i + 1, lda, v, wi);
    if (i > 0) {
      // tmp = W(i+1:m, 0:i)ᵀ v; W(:, i) −= A(i+1:m, 0:i)·tmp; tmp = A(i+1:m, 0:i)ᵀ v; W(:, i) −= W(i+1:m, 0:i)·tmp
      k.gemvT(prec, len, i, w + i + 1, ldw, v, tmp);
      k.gemvN(prec, len, i, p + i + 1, lda, tmp, wi, -1);
      k.gemvT(prec, len, i, p + i + 1, lda, v, tmp);
      k.gemvN(prec, len, i, w + i + 1, ldw, tmp, wi, -1);
    }
    scaleAndCorrect(k.view(prec), wi, v, len, t);
  }
}

/** w := tau·w, then w −= (tau/2)(wᵀv)·v, so that A − v·wᵀ − w·vᵀ = H·A·H (w has length len). */
function scaleAndCorrect(h: Float64Array | Float32Array, w: number, v: number, len: number, tau: number): void {
  let dot = 0;
  for (let r = 0; r < len; r++) {
    h[w + r] *= tau;
    dot += h[w + r] * h[v + r];
  }
  const alpha = -0.5 * tau * dot;
  for (let r = 0; r < len; r++) h[w + r] += alpha * h[v + r];
}

/**
 * C −= V·Wᵀ + W·Vᵀ on the lower triangle of the m×m block C (V, W m×nb), as GEMMs of
 * [V W]·[W V]ᵀ over column blocks: each block computes its full diagonal square (the
 * upper half of the storage is never read) and the rows below it.
 */
function syr2kLower(k: WasmKernels, prec: Prec, m: number, nb: number, v: number, ldv: number, w: number, ldw: number, c: number, ldc: number, xy: number): void {
  if (m <= 0) return;
  const x = xy; // [V W], m×2nb, leading dimension m
  const y = xy + m * 2 * nb; // [W V]
  k.copy(prec, m, nb, v, ldv, x, m);
  k.copy(prec, m, nb, w, ldw, x + nb * m, m);
  k.copy(prec, m, nb, w, ldw, y, m);
  k.copy(prec, m, nb, v, ldv, y + nb * m, m);
  const bs = 192;
  for (let j = 0; j < m; j += bs) {
    const cols = Math.min(bs, m - j);
    k.gemm(prec, false, true, m - j, cols, 2 * nb, -1, x + j, m, y + j, m, c + j * ldc + j, ldc);
  }
}

/**
 * Unblocked reduction (LAPACK `sytd2`, lower) of the m×m block at p: per column, the reflector,
 * x = tau·A22·v, x −= (tau/2)(xᵀv)·v, and the rank-2 update A22 −= v·xᵀ + x·vᵀ.
 */
function sytd2(k: WasmKernels, prec: Prec, m: number, p: number, lda: number, d: Float64Array, e: Float64Array, tau: Float64Array, off: number, x: number): void {
  for (let i = 0; i < m - 1; i++) {
    let h = k.view(prec);
    const col = p + i * lda;
    const len = m - i - 1;
    const [beta, t] = larfg(h, h[col + i + 1], col + i + 2, len - 1);
    e[off + i] = beta;
    tau[off + i] = t;
    if (t !== 0) {
      h[col + i + 1] = 1;
      const v = col + i + 1;
      const a22 = p + (i + 1) * lda + i + 1;
      k.symv(prec, len, a22, lda, v, x);
      h = k.view(prec);
      scaleAndCorrect(h, x, v, len, t);
      for (let cc = 0; cc < len; cc++) {
        const vc = h[v + cc];
        const xc = h[x + cc];
        const base = a22 + cc * lda;
        for (let r = cc; r < len; r++) h[base + r] -= h[v + r] * xc + h[x + r] * vc;
      }
      h[col + i + 1] = beta;
    }
    d[off + i] = h[col + i];
  }
  const h = k.view(prec);
  d[off + m - 1] = h[p + (m - 1) * lda + m - 1];
}
