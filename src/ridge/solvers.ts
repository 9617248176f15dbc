import { fail } from '../errors.ts';
import { eighMany, matmul, transpose, type GraphBackend, type Matrix, type QuadFormMode } from '../linalg/index.ts';
import { alloc, castTo, columnSums, rowsOf, type WorkDtype } from './arrays.ts';
import type { Fold } from './folds.ts';
import { primalFoldSums } from './primalFoldGraph.ts';

/** Targets of one batch, as the solvers see them. */
export interface TargetBatch {
  /** n×b targets, centred with the means over all samples, work dtype. */
  y: Matrix;
  /** b column sums of `y` over all samples (≈ 0). */
  ysum: Float64Array;
  /** Per fold: b column sums of `y` over the test rows. */
  testSum: Float64Array[];
  /** Per fold: b means of `y` over the training rows. */
  trainMean: Float64Array[];
}

/**
 * One training set's spectral view: predictions on its test rows for ridge parameter α are
 * Ŷ = B·diag(1/(λ+α))·A, where A (r×b) comes from the training targets, B (n_test×r) from the
 * test features, and the solver only has to supply λ, A, C = BᵀY_test (centred with training
 * means), and either G = BᵀB ('gram') or B itself ('norm') for ‖Ŷ‖².
 */
export interface FoldSpectrum {
  /** r eigenvalues; numerically null directions are +Infinity so that 1/(λ+α) = 0 for them. */
  lambdas: Float64Array;
  /** G (r×r, 'gram') or B (n_test×r, 'norm') in the dtype of the batch's targets. */
  quad(dtype: WorkDtype): Matrix;
  mode: QuadFormMode;
  /** Bᵀ·1 (r): for the sum of predictions (Pearson score). */
  bsum: Float64Array;
  nTrain: number;
  nTest: number;
}

/** A solver prepared on the design matrix: everything that does not depend on the targets. */
export interface RidgePlan {
  solver: SolverName;
  folds: Fold[];
  spectra: FoldSpectrum[];
  /** A and C for fold f of a target batch (r×b each, in the dtype of `batch.y`). */
  foldTerms(f: number, batch: TargetBatch): Promise<{ a: Matrix; c: Matrix }>;
  /**
   * Optional fused scoring of fold f on a backend that runs graphs: Σyŷ, Σŷ² and (withSum) Σŷ
   * of every alpha, nA×b, from d = 1/(λ+α) and db = Bᵀ1/(λ+α) (nA×r, the batch's dtype); the
   * same sums as from {@link foldTerms}.
   */
  foldSums?(f: number, batch: TargetBatch, d: Matrix, db: Matrix, withSum: boolean, backend: GraphBackend): Promise<{ syh: Matrix; shh: Matrix; sh: Matrix | null }>;
  /** p×b coefficients refit on all samples, with ridge parameter `alphaOf[t]` for target t (not with `refit: false`). */
  refit(batch: TargetBatch, alphaOf: Float64Array): Promise<Matrix>;
}

/** Inputs of a solver: X (n×p) centred with its means over all samples, in float64. */
export interface SolverInput {
  x: Matrix;
  folds: Fold[];
  /** dtype of the big products for ordinary batches; float64 batches are always supported too. */
  dtype: WorkDtype;
  /** false: CV scores only, no all-sample eigendecomposition (`plan.refit` then fails). Default true. */
  refit?: boolean;
  /** Targets the refit will see in all (the kernel solver picks its refit product by it); default: fewer than the features. */
  nTargets?: number;
}

function noRefit(): never {
  return fail('INTERNAL', 'ridge plan prepared with refit: false cannot refit; prepare it with refit: true.');
}

/** A float64 matrix with its float32 copy made on first use. */
function both(m64: Matrix): (dtype: WorkDtype) => Matrix {
  let m32: Matrix | null = null;
  return (dtype) => (dtype === 'float64' ? m64 : (m32 ??= castTo(m64, 'float32')));
}

function dtypeOf(m: Matrix): WorkDtype {
  return m.data instanceof Float64Array ? 'float64' : 'float32';
}

export type SolverName = 'primal' | 'kernel';

/**
 * Eigenvalues of a centred Gram matrix: tiny negative rounding is clamped to 0 and directions
 * below r·1e-13·λmax (numerically null: X v = 0, so their projected targets are exactly 0 in
 * exact arithmetic) are set to +Infinity, which drops them instead of amplifying rounding by 1/α.
 */
function spectralCutoff(v: Float64Array): Float64Array {
  let max = 0;
  for (const x of v) max = Math.max(max, x);
  const cut = max * v.length * 1e-13;
  return v.map((x) => (x > cut ? x : Number.POSITIVE_INFINITY));
}

/** x (float64) minus `mean` in every row. */
function centredRows(x: Matrix, mean: Float64Array): Matrix {
  const { rows, cols } = x;
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = x.data[i * cols + j] - mean[j];
  return { rows, cols, data: out };
}

/**
 * A fold's centred training Gram S_tr = S − S_te − n_tr·μμᵀ and (withTest) centred test Gram
 * from the uncentred full and test Grams (p×p), the training means μ and the test column sums.
 */
function centredFoldGrams(sFull: Float64Array, sTe: Float64Array, mux: Float64Array, xsumTe: Float64Array, nTr: number, nTe: number, withTest: boolean): { sTr: Float64Array; sTeC: Float64Array | null } {
  const p = mux.length;
  const sTr = new Float64Array(p * p);
  const sTeC = withTest ? new Float64Array(p * p) : null;
  for (let i = 0; i < p; i++) {
    const mi = mux[i];
    const xi = xsumTe[i];
    const row = i * p;
    for (let j = 0; j < p; j++) sTr[row + j] = sFull[row + j] - sTe[row + j] - nTr * mi * mux[j];
    if (sTeC) for (let j = 0; j < p; j++) sTeC[row + j] = sTe[row + j] - mi * xsumTe[j] - xi * mux[j] + nTe * mi * mux[j];
  }
  return { sTr, sTeC };
}

/** out = a (r×b, work dtype) scaled per column t and row k by 1/(λ_k + α_t). */
function scaleForAlpha(a: Matrix, lambdas: Float64Array, alphaOf: Float64Array): Matrix {
  const { rows, cols } = a;
  const out = alloc(rows * cols, a.data instanceof Float64Array ? 'float64' : 'float32');
  for (let k = 0; k < rows; k++) {
    const lk = lambdas[k];
    const r = k * cols;
    for (let t = 0; t < cols; t++) out[r + t] = a.data[r + t] / (lk + alphaOf[t]);
  }
  return { rows, cols, data: out };
}

/**
 * Primal ridge via the eigendecomposition of XᵀX (p×p) per training set, for p ≤ n.
 * Per fold the centred Gram matrices come from the full one minus the test block (float64), and
 * XᵀY_train from the full XᵀY minus X_testᵀY_test, so the big products are computed once.
 */
export async function preparePrimal(input: SolverInput): Promise<RidgePlan> {
  const { x: x64, folds, dtype } = input;
  const withRefit = input.refit ?? true;
  const n = x64.rows;
  const p = x64.cols;
  // transposed copies: products with them run 10-25% faster than Gemm's transA (MLAS, p = 512)
  const xT = both(transpose(x64));
  const sFull = (await matmul(x64, x64, { transA: true })).data as Float64Array;
  const xsum = columnSums(x64);
  // per fold: centred training Gram S_tr (for the eigendecomposition) and centred test Gram S_te
  const grams: { sTr: Float64Array; sTeC: Float64Array | null; mux: Float64Array; xsumTe: Float64Array; xTe64: Matrix }[] = [];
  for (const fold of folds) {
    const nTe = fold.test.length;
    const nTr = fold.train.length;
    const xTe64 = rowsOf(x64, fold.test);
    const sTe = (await matmul(xTe64, xTe64, { transA: true })).data as Float64Array;
    const xsumTe = columnSums(xTe64);
    const mux = Float64Array.from(xsum, (s, j) => (s - xsumTe[j]) / nTr);
    // the centred test Gram only where the quadratic forms use it ('gram' mode: p ≤ n_test)
    const { sTr, sTeC } = centredFoldGrams(sFull, sTe, mux, xsumTe, nTr, nTe, nTe >= p);
    grams.push({ sTr, sTeC, mux, xsumTe, xTe64 });
  }
  // full-data Gram for the refit (x is centred, so XᵀX is the centred Gram up to rounding)
  const xmean = Float64Array.from(xsum, (s) => s / n);
  const sC = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) sC[i * p + j] = sFull[i * p + j] - n * xmean[i] * xmean[j];
  const eig = await eighMany([...grams.map((g) => ({ a: g.sTr, n: p })), ...(withRefit ? [{ a: sC, n: p }] : [])]);
  const spectra: FoldSpectrum[] = [];
  const foldData: { vT: (d: WorkDtype) => Matrix; mux: Float64Array; xsumTe: Float64Array; xTeT: (d: WorkDtype) => Matrix }[] = [];
  for (const [f, fold] of folds.entries()) {
    const { sTeC, mux, xsumTe, xTe64 } = grams[f];
    const { values, vectors } = eig[f];
    const nTe = fold.test.length;
    const v64: Matrix = { rows: p, cols: p, data: vectors };
    // B = X_te,c V (n_test×p): with fewer test rows than features, B itself ('norm', 2·n_te·p² flops)
    // is cheaper to form and to use than BᵀB = Vᵀ S_te,c V ('gram', 4·p³)
    const g = sTeC
      ? await matmul(await matmul(v64, { rows: p, cols: p, data: sTeC }, { transA: true }), v64)
      : await matmul(centredRows(xTe64, mux), v64);
    const xTeC1 = Float64Array.from(xsumTe, (s, j) => s - nTe * mux[j]);
    const bsum = (await matmul(v64, { rows: p, cols: 1, data: xTeC1 }, { transA: true })).data as Float64Array;
    const quad = both(g);
    const vT = both(transpose(v64));
    if (dtype === 'float32') {
      quad('float32');
      vT('float32');
    }
    spectra.push({ lambdas: spectralCutoff(values), quad, mode: sTeC ? 'gram' : 'norm', bsum: Float64Array.from(bsum), nTrain: fold.train.length, nTest: nTe });
    foldData.push({ vT, mux, xsumTe, xTeT: both(transpose(xTe64)) });
  }
  const full = withRefit ? eig[folds.length] : null;
  const vFull = full ? both({ rows: p, cols: p, data: full.vectors }) : noRefit;
  const vFullT = full ? both(transpose({ rows: p, cols: p, data: full.vectors })) : noRefit;
  const lambdasFull = full ? spectralCutoff(full.values) : new Float64Array(0);
  // XᵀY over all samples is shared by every fold and the refit of a batch
  let cache: { y: Matrix; m: Matrix } | null = null;
  const xty = async (batch: TargetBatch): Promise<Matrix> => {
    if (cache?.y !== batch.y) cache = { y: batch.y, m: await matmul(xT(dtypeOf(batch.y)), batch.y) };
    return cache.m;
  };
  return {
    solver: 'primal',
    folds,
    spectra,
    async foldTerms(f, batch) {
      const dt = dtypeOf(batch.y);
      const m = await xty(batch);
      const fd = foldData[f];
      const fold = folds[f];
      const nTr = fold.train.length;
      const nTe = fold.test.length;
      const pTe = await matmul(fd.xTeT(dt), rowsOf(batch.y, fold.test)); // p×b
      const b = batch.y.cols;
      const muy = batch.trainMean[f];
      const sTe = batch.testSum[f];
      const mTr = alloc(p * b, dt);
      const pC = alloc(p * b, dt);
      for (let i = 0; i < p; i++) {
        const r = i * b;
        const mx = fd.mux[i];
        const xs = fd.xsumTe[i];
        for (let t = 0; t < b; t++) {
          const pv = pTe.data[r + t];
          mTr[r + t] = m.data[r + t] - pv - nTr * mx * muy[t];
          pC[r + t] = pv - mx * sTe[t] - xs * muy[t] + nTe * mx * muy[t];
        }
      }
      const a = await matmul(fd.vT(dt), { rows: p, cols: b, data: mTr });
      const c = await matmul(fd.vT(dt), { rows: p, cols: b, data: pC });
      return { a, c };
    },
    async foldSums(f, batch, d, db, withSum, backend) {
      const dt = dtypeOf(batch.y);
      const fd = foldData[f];
      const fold = folds[f];
      const spec = spectra[f];
      return primalFoldSums(backend, {
        xTeT: fd.xTeT(dt), yTe: rowsOf(batch.y, fold.test), xty: await xty(batch), vT: fd.vT(dt), quad: spec.quad(dt), mode: spec.mode, d, db,
        mux: fd.mux, xsumTe: fd.xsumTe, muy: batch.trainMean[f], testSum: batch.testSum[f], nTrain: fold.train.length, nTest: fold.test.length, withSum,
      }, dt);
    },
    async refit(batch, alphaOf) {
      const dt = dtypeOf(batch.y);
      const m = await xty(batch);
      const b = batch.y.cols;
      const mc = alloc(p * b, dt);
      for (let i = 0; i < p; i++) {
        const r = i * b;
        for (let t = 0; t < b; t++) mc[r + t] = m.data[r + t] - xmean[i] * batch.ysum[t];
      }
      const a = await matmul(vFullT(dt), { rows: p, cols: b, data: mc });
      return matmul(vFull(dt), scaleForAlpha(a, lambdasFull, alphaOf));
    },
  };
}

/** Double-centres rows `ri` × columns `ci` of the n×n kernel K with the means over `ci` rows/cols of the training block. */
function centredBlock(k: Float64Array, n: number, ri: Int32Array, ci: Int32Array, rowMeans: Float64Array, colMeans: Float64Array, grand: number): Float64Array {
  const out = new Float64Array(ri.length * ci.length);
  for (let a = 0; a < ri.length; a++) {
    const r = ri[a] * n;
    for (let b = 0; b < ci.length; b++) out[a * ci.length + b] = k[r + ci[b]] - rowMeans[a] - colMeans[b] + grand;
  }
  return out;
}

/** Mean over training columns `tr` of each row `rows` of K. */
function rowMeansOver(k: Float64Array, n: number, rows: Int32Array, tr: Int32Array): Float64Array {
  return Float64Array.from(rows, (i) => {
    let s = 0;
    for (const j of tr) s += k[i * n + j];
    return s / tr.length;
  });
}

/**
 * Kernel (dual) ridge via the eigendecomposition of the centred linear kernel X Xᵀ restricted to
 * each training set (n_train×n_train), for p > n. Coefficients are X_cᵀ·U·diag(1/(λ+α))·UᵀY_c.
 */
export async function prepareKernel(input: SolverInput): Promise<RidgePlan> {
  const { x: x64, folds, dtype } = input;
  const withRefit = input.refit ?? true;
  const n = x64.rows;
  const k = (await matmul(x64, x64, { transB: true })).data as Float64Array;
  const blocks = folds.map(({ train: tr }) => {
    const mTr = rowMeansOver(k, n, tr, tr);
    const grand = mTr.reduce((s, v) => s + v, 0) / tr.length;
    return { mTr, grand, ktr: centredBlock(k, n, tr, tr, mTr, mTr, grand) };
  });
  // full data: x is centred over all samples, so K is already the centred kernel (up to rounding)
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const mAll = rowMeansOver(k, n, all, all);
  const grandAll = mAll.reduce((s, v) => s + v, 0) / n;
  const eig = await eighMany([
    ...blocks.map((bl, f) => ({ a: bl.ktr, n: folds[f].train.length })),
    ...(withRefit ? [{ a: centredBlock(k, n, all, all, mAll, mAll, grandAll), n }] : []),
  ]);
  const spectra: FoldSpectrum[] = [];
  const foldData: { u: (d: WorkDtype) => Matrix; b: (d: WorkDtype) => Matrix }[] = [];
  for (const [f, fold] of folds.entries()) {
    const { train: tr, test: te } = fold;
    const { mTr, grand } = blocks[f];
    const { values, vectors } = eig[f];
    const u64: Matrix = { rows: tr.length, cols: tr.length, data: vectors };
    const mTe = rowMeansOver(k, n, te, tr);
    const kte: Matrix = { rows: te.length, cols: tr.length, data: centredBlock(k, n, te, tr, mTe, mTr, grand) };
    const b64 = await matmul(kte, u64); // n_te × r
    const bsum = columnSums(b64);
    const r = tr.length;
    const normMode = te.length < r;
    const quad = both(normMode ? b64 : await matmul(b64, b64, { transA: true }));
    spectra.push({ lambdas: spectralCutoff(values), quad, mode: normMode ? 'norm' : 'gram', bsum, nTrain: tr.length, nTest: te.length });
    foldData.push({ u: both(u64), b: both(b64) });
    if (dtype === 'float32') quad('float32');
  }
  const full = withRefit ? eig[folds.length] : null;
  const uFull64: Matrix | null = full ? { rows: n, cols: n, data: full.vectors } : null;
  const uFull = uFull64 ? both(uFull64) : noRefit;
  const lambdasFull = full ? spectralCutoff(full.values) : new Float64Array(0);
  // coefficients X_cᵀ·(U·diag·UᵀY_c): with fewer targets than features this costs p·n·T against
  // p·n² for precomputing X_cᵀU, so W = X_cᵀU is formed only when the fit has more targets than features
  const nTargets = input.nTargets ?? 0;
  const w = uFull64 && nTargets > x64.cols ? both(await matmul(x64, uFull64, { transA: true })) : null;
  const centre = (y: Matrix, rows: Int32Array, mean: Float64Array): Matrix => {
    const sub = rowsOf(y, rows);
    const b = y.cols;
    const out = alloc(sub.rows * b, dtypeOf(y));
    for (let i = 0; i < sub.rows; i++) for (let t = 0; t < b; t++) out[i * b + t] = sub.data[i * b + t] - mean[t];
    return { rows: sub.rows, cols: b, data: out };
  };
  return {
    solver: 'kernel',
    folds,
    spectra,
    async foldTerms(f, batch) {
      const dt = dtypeOf(batch.y);
      const fold = folds[f];
      const fd = foldData[f];
      const mu = batch.trainMean[f];
      const a = await matmul(fd.u(dt), centre(batch.y, fold.train, mu), { transA: true });
      const c = await matmul(fd.b(dt), centre(batch.y, fold.test, mu), { transA: true });
      return { a, c };
    },
    async refit(batch, alphaOf) {
      const dt = dtypeOf(batch.y);
      const ymean = Float64Array.from(batch.ysum, (s) => s / n);
      const a = await matmul(uFull(dt), centre(batch.y, all, ymean), { transA: true });
      const scaled = scaleForAlpha(a, lambdasFull, alphaOf);
      if (w) return matmul(w(dt), scaled);
      // float64 throughout: the n×b dual and the p×b product are small next to X
      const dual = await matmul(uFull('float64'), castTo(scaled, 'float64'));
      const coef = await matmul(x64, dual, { transA: true });
      return dt === 'float64' ? coef : castTo(coef, dt);
    },
  };
}

/** Solvers by name (himalaya-style table); `solver: 'auto'` picks one by {@link autoSolver}. */
export const RIDGE_SOLVERS: Record<SolverName, (input: SolverInput) => Promise<RidgePlan>> = {
  primal: preparePrimal,
  kernel: prepareKernel,
};

/**
 * The solver `'auto'` picks for p features: 'primal' (a p×p eigendecomposition per fold) while p
 * is at most the mean training-fold size, else 'kernel' (n_train×n_train per fold): past that
 * size each fold's XᵀX is singular and larger than its X Xᵀ. Without folds (a plain fit on all
 * n samples) p is compared with n. For K-fold over n samples the rule reads p·K ≤ n·(K − 1).
 * @example autoSolver(90, 100, kFold(100, 5)) // 'kernel' (90 > 80 training rows per fold)
 */
export function autoSolver(p: number, n: number, folds: readonly Fold[]): SolverName {
  if (folds.length === 0) return p <= n ? 'primal' : 'kernel';
  let trainRows = 0;
  for (const f of folds) trainRows += f.train.length;
  return p * folds.length <= trainRows ? 'primal' : 'kernel';
}

/** `opts.solver` of a fit resolved to a solver name ('auto' or none → {@link autoSolver}); BAD_INPUT for an unknown name. */
export function resolveSolver(solver: 'auto' | SolverName | undefined, p: number, n: number, folds: readonly Fold[]): SolverName {
  const name = solver === undefined || solver === 'auto' ? autoSolver(p, n, folds) : solver;
  if (!Object.hasOwn(RIDGE_SOLVERS, name)) fail('BAD_INPUT', `Unknown solver '${name}'; use auto, ${Object.keys(RIDGE_SOLVERS).join(', ')}.`);
  return name;
}
