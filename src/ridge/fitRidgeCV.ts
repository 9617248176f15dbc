import { fail } from '../errors.ts';
import { matmul, scaledQuadForms, type Matrix } from '../linalg/index.ts';
import { alloc, type WorkDtype } from './arrays.ts';
import { checkAlphas, defaultAlphas } from './alphas.ts';
import { makeFolds, type Fold } from './folds.ts';
import { checkScore, scoreFromSums, type RidgeScore } from './scores.ts';
import { RIDGE_SOLVERS, type RidgePlan, type SolverName, type TargetBatch } from './solvers.ts';
import { centredColumns, checkFinite, columnMeans64, targetBatch } from './targets.ts';

/** Options of {@link fitRidgeCV}. */
export interface RidgeCVOptions {
  /** Candidate ridge parameters, all > 0 (default logspace(-2, 8, 20)). */
  alphas?: ArrayLike<number>;
  /**
   * Number of folds (default 5; contiguous K-fold, or group K-fold with `groups`),
   * 'leave-one-group-out', or explicit folds (each a split of all n samples into sorted train and
   * test indices, e.g. one outer fold of a nested CV; not with `groups`).
   */
  folds?: number | 'leave-one-group-out' | readonly Fold[];
  /** Group label per sample (length n): a group (run, clip) is never split between train and test. */
  groups?: ArrayLike<number>;
  /** CV score to maximise per target (default 'mse', i.e. negative mean squared error). */
  score?: RidgeScore;
  /**
   * A second CV score to report for every alpha, from the same folds and sufficient statistics
   * (`alsoCvScores`), e.g. the Pearson r at the alpha that `score: 'r2'` chose. Costs one small
   * product per fold.
   */
  alsoScore?: RidgeScore;
  /** 'auto' (default): 'primal' when p ≤ n, else 'kernel'. */
  solver?: 'auto' | SolverName;
  /** Targets per batch (bounds memory); default from the problem size. */
  targetBatch?: number;
  /** Called after each target batch with targets done / total. */
  onProgress?: (done: number, total: number) => void;
}

/** The cross-validation part of a ridge fit (see {@link ridgeCVScores}). */
export interface RidgeCVScores {
  /** The alpha grid (nAlphas). */
  alphas: Float64Array;
  /** Chosen alpha per target (T). */
  bestAlphas: Float64Array;
  /** Mean CV score over folds, nAlphas×T row-major (row a = alphas[a]); higher is better. */
  cvScores: Float64Array;
  /** With `alsoScore`: that score's mean over folds, nAlphas×T like `cvScores`. */
  alsoCvScores?: Float64Array;
  nFeatures: number;
  nTargets: number;
  score: RidgeScore;
  solver: SolverName;
  nFolds: number;
}

/** A fitted cross-validated ridge model (plain data; see {@link predictRidge}). */
export interface RidgeFit extends RidgeCVScores {
  /** Coefficients refit on all samples with each target's best alpha, p×T row-major float32. */
  coef: Float32Array;
  /** Feature means (p) and target means (T) over all samples: ŷ = (x − xMean)·coef + yMean. */
  xMean: Float64Array;
  yMean: Float64Array;
}

/** The listed columns of y minus their means, float64 (n×cols.length). */
function centredColumnSubset(y: Matrix, cols: number[], mean: Float64Array): Matrix {
  const b = cols.length;
  const out = new Float64Array(y.rows * b);
  for (let i = 0; i < y.rows; i++) for (let t = 0; t < b; t++) out[i * b + t] = y.data[i * y.cols + cols[t]] - mean[cols[t]];
  return { rows: y.rows, cols: b, data: out };
}

/** In float32, a fold's SSE below this fraction of Σy² is rescored in float64 (cancellation). */
const RESCORE_BELOW = 1e-2;

/**
 * Sum over folds of each CV score of every alpha (per score nA×b, float64) for one target batch,
 * and which targets had a near-perfect fold (SSE < RESCORE_BELOW·Σy²) where float32 sufficient
 * statistics cancel too much to rank alphas.
 */
async function scoreBatch(plan: RidgePlan, tb: TargetBatch & { testSq: Float64Array[] }, alphas: Float64Array, scores: readonly RidgeScore[]): Promise<{ acc: Float64Array[]; nearPerfect: boolean[] }> {
  const nA = alphas.length;
  const b = tb.y.cols;
  const dtype: WorkDtype = tb.y.data instanceof Float64Array ? 'float64' : 'float32';
  const acc = scores.map(() => new Float64Array(nA * b));
  const nearPerfect = new Array<boolean>(b).fill(false);
  for (let f = 0; f < plan.folds.length; f++) {
    const spec = plan.spectra[f];
    const r = spec.lambdas.length;
    // 1/(λ_k + α) as an nA×r matrix, and the same times Bᵀ1 (for Σŷ)
    const d = alloc(nA * r, dtype);
    const db = alloc(nA * r, dtype);
    for (let a = 0; a < nA; a++) for (let k = 0; k < r; k++) {
      d[a * r + k] = 1 / (spec.lambdas[k] + alphas[a]);
      db[a * r + k] = spec.bsum[k] / (spec.lambdas[k] + alphas[a]);
    }
    const dm: Matrix = { rows: nA, cols: r, data: d };
    const { a, c } = await plan.foldTerms(f, tb);
    const ca = alloc(r * b, dtype);
    for (let i = 0; i < r * b; i++) ca[i] = c.data[i] * a.data[i];
    const syh = await matmul(dm, { rows: r, cols: b, data: ca }); // nA×b: Σ y·ŷ
    const shh = await scaledQuadForms(spec.quad(dtype), a, dm, spec.mode); // nA×b: Σ ŷ²
    const sh = scores.includes('r') ? await matmul({ rows: nA, cols: r, data: db }, a) : null; // nA×b: Σ ŷ
    const nTe = spec.nTest;
    const mu = tb.trainMean[f];
    for (let t = 0; t < b; t++) {
      // test targets centred with the training mean: Σy and Σy² from the raw sums
      const sy = tb.testSum[f][t] - nTe * mu[t];
      const syy = tb.testSq[f][t] - 2 * mu[t] * tb.testSum[f][t] + nTe * mu[t] * mu[t];
      let minSse = Infinity;
      for (let al = 0; al < nA; al++) {
        const k = al * b + t;
        scores.forEach((score, j) => { acc[j][k] += scoreFromSums(score, nTe, sy, syy, syh.data[k], sh ? sh.data[k] : 0, shh.data[k]); });
        minSse = Math.min(minSse, syy - 2 * syh.data[k] + shh.data[k]);
      }
      if (minSse < RESCORE_BELOW * syy) nearPerfect[t] = true;
    }
  }
  return { acc, nearPerfect };
}

/**
 * Ridge regression from X (n×p) to every column of Y (n×T), with one alpha per target chosen by
 * cross-validation, then refit on all samples. Intercept: within each fold X and Y are centred
 * with the training-fold means (test rows too), and the refit uses the means over all samples.
 *
 * The cheap formulation: per fold one eigendecomposition (XᵀX for 'primal', X Xᵀ for 'kernel'),
 * the targets projected once, and every alpha a diagonal rescaling; CV scores come from exact
 * sufficient statistics, so no n_test×T prediction is ever formed. Targets run in batches.
 * Heavy products run on the linalg GEMM backend (float32 unless X or Y is float64).
 *
 * Ties between alphas go to the larger alpha. Throws BAD_INPUT for NaN/Inf, bad alphas or too
 * few samples/groups for the folds, MISMATCH when X and Y have different numbers of rows.
 *
 * @example const fit = await fitRidgeCV(X, Y, { alphas: logspace(-2, 8, 20), folds: 5 });
 */
export async function fitRidgeCV(X: Matrix, Y: Matrix, opts: RidgeCVOptions = {}): Promise<RidgeFit> {
  return runRidgeCV(X, Y, opts, true);
}

/**
 * The cross-validation of {@link fitRidgeCV} without the refit on all samples: CV scores of every
 * alpha and the chosen alpha per target, the same numbers fitRidgeCV gives. It skips the
 * all-sample eigendecomposition and the p×T coefficients, for callers that only rank targets
 * (voxel selection by encoding CV r) or score one fold of an outer CV.
 */
export async function ridgeCVScores(X: Matrix, Y: Matrix, opts: RidgeCVOptions = {}): Promise<RidgeCVScores> {
  return runRidgeCV(X, Y, opts, false);
}

async function runRidgeCV(X: Matrix, Y: Matrix, opts: RidgeCVOptions, refit: true): Promise<RidgeFit>;
async function runRidgeCV(X: Matrix, Y: Matrix, opts: RidgeCVOptions, refit: false): Promise<RidgeCVScores>;
async function runRidgeCV(X: Matrix, Y: Matrix, opts: RidgeCVOptions, refit: boolean): Promise<RidgeCVScores | RidgeFit> {
  const n = X.rows;
  const p = X.cols;
  const T = Y.cols;
  if (Y.rows !== n) fail('MISMATCH', `X has ${n} samples (rows) but Y has ${Y.rows}; they must match.`);
  if (X.data.length !== n * p || Y.data.length !== Y.rows * T) fail('MISMATCH', 'fitRidgeCV: a matrix data length does not match its rows×cols.');
  if (p === 0) fail('BAD_INPUT', 'X has no features (0 columns).');
  const alphas = checkAlphas(opts.alphas ?? defaultAlphas());
  const score = checkScore(opts.score ?? 'mse');
  const scoreList = opts.alsoScore === undefined ? [score] : [score, checkScore(opts.alsoScore)];
  checkFinite(X, 'X');
  checkFinite(Y, 'Y');
  const folds = makeFolds(n, { folds: opts.folds, groups: opts.groups });
  for (const [f, fold] of folds.entries()) {
    if (fold.train.length < 2 || fold.test.length < 1) fail('BAD_INPUT', `Fold ${f + 1} has ${fold.train.length} training and ${fold.test.length} test samples; each fold needs ≥ 2 training and ≥ 1 test samples.`);
  }
  const solver: SolverName = opts.solver === undefined || opts.solver === 'auto' ? (p <= n ? 'primal' : 'kernel') : opts.solver;
  if (!(solver in RIDGE_SOLVERS)) fail('BAD_INPUT', `Unknown solver '${solver}'; use auto, ${Object.keys(RIDGE_SOLVERS).join(', ')}.`);
  const dtype: WorkDtype = X.data instanceof Float64Array || Y.data instanceof Float64Array ? 'float64' : 'float32';

  const xMean = columnMeans64(X);
  const yMean = columnMeans64(Y);
  const plan = await RIDGE_SOLVERS[solver]({ x: centredColumns(X, 0, p, xMean, 'float64'), folds, dtype, refit });

  const nA = alphas.length;
  const rMax = Math.max(...plan.spectra.map((s) => s.lambdas.length));
  // default: the fused score graph holds a few nA×r×batch float32 arrays (≈ 128 MiB each at most);
  // batches are balanced so the last one is not a small, inefficient remainder
  const maxBatch = Math.max(64, Math.floor((1 << 25) / (nA * rMax)));
  const batch = Math.max(1, Math.min(T, opts.targetBatch ?? Math.ceil(T / Math.ceil(T / maxBatch))));
  const bestAlphas = new Float64Array(T);
  const cvScores = new Float64Array(nA * T);
  const alsoCvScores = opts.alsoScore === undefined ? undefined : new Float64Array(nA * T);
  const coef = new Float32Array(refit ? p * T : 0);

  opts.onProgress?.(0, T);
  for (let t0 = 0; t0 < T; t0 += batch) {
    const b = Math.min(batch, T - t0);
    const tb = targetBatch(centredColumns(Y, t0, b, yMean, dtype), folds);
    const { acc: accs, nearPerfect } = await scoreBatch(plan, tb, alphas, scoreList);
    if (dtype === 'float32' && nearPerfect.some(Boolean)) {
      // near-perfect fits: redo these targets' scores in float64, where nothing cancels
      const cols = nearPerfect.flatMap((flag, t) => (flag ? [t] : []));
      const exact = await scoreBatch(plan, targetBatch(centredColumnSubset(Y, cols.map((t) => t0 + t), yMean), folds), alphas, scoreList);
      accs.forEach((acc, s) => cols.forEach((t, j) => {
        for (let al = 0; al < nA; al++) acc[al * b + t] = exact.acc[s][al * cols.length + j];
      }));
    }
    const acc = accs[0];
    if (alsoCvScores) for (let al = 0; al < nA; al++) for (let t = 0; t < b; t++) alsoCvScores[al * T + t0 + t] = accs[1][al * b + t] / folds.length;
    const alphaOf = new Float64Array(b);
    for (let t = 0; t < b; t++) {
      let best = 0;
      for (let al = 0; al < nA; al++) {
        const v = acc[al * b + t] / folds.length;
        cvScores[al * T + t0 + t] = v;
        const cur = acc[best * b + t] / folds.length;
        if (v > cur || (v === cur && alphas[al] > alphas[best])) best = al;
      }
      alphaOf[t] = alphas[best];
      bestAlphas[t0 + t] = alphas[best];
    }
    if (refit) {
      const w = await plan.refit(tb, alphaOf);
      for (let i = 0; i < p; i++) {
        const src = i * b;
        const dst = i * T + t0;
        for (let t = 0; t < b; t++) coef[dst + t] = w.data[src + t];
      }
    }
    opts.onProgress?.(t0 + b, T);
  }
  const scores: RidgeCVScores = { alphas, bestAlphas, cvScores, ...(alsoCvScores ? { alsoCvScores } : {}), nFeatures: p, nTargets: T, score, solver, nFolds: folds.length };
  return refit ? { ...scores, coef, xMean, yMean } : scores;
}
