import { fail } from '../errors.ts';
import type { Matrix } from '../linalg/index.ts';
import type { WorkDtype } from './arrays.ts';
import { checkAlphas, defaultAlphas } from './alphas.ts';
import { chooseAlphas, crossValidateBatch } from './cv.ts';
import { makeFolds, type Fold } from './folds.ts';
import { checkScore, type RidgeScore } from './scores.ts';
import { RIDGE_SOLVERS, resolveSolver, type SolverName } from './solvers.ts';
import { centredColumns, finiteColumnMeans } from './targets.ts';

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
  /**
   * 'auto' (default): 'primal' while p is at most the mean training-fold size (for K-fold,
   * p·K ≤ n·(K − 1)), else 'kernel' (see `autoSolver`).
   */
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
  /** Mean CV score at each target's chosen alpha (T): its best over the grid. */
  bestCvScores: Float64Array;
  /** Mean CV score over folds, nAlphas×T row-major (row a = alphas[a]); higher is better. */
  cvScores: Float64Array;
  /** With `alsoScore`: that score's mean over folds, nAlphas×T like `cvScores`. */
  alsoCvScores?: Float64Array;
  /** With `alsoScore`: that score at each target's chosen alpha (T), e.g. the CV r at the alpha chosen by R². */
  bestAlsoCvScores?: Float64Array;
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

/**
 * Ridge regression from X (n×p) to every column of Y (n×T), with one alpha per target chosen by
 * cross-validation, then refit on all samples. Intercept: within each fold X and Y are centred
 * with the training-fold means (test rows too), and the refit uses the means over all samples.
 *
 * The cheap formulation: per fold one eigendecomposition (XᵀX for 'primal', X Xᵀ for 'kernel'),
 * the targets projected once, and every alpha a diagonal rescaling; CV scores come from exact
 * sufficient statistics (`cv.ts`), so no n_test×T prediction is ever formed. Targets run in batches.
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
  const xMean = finiteColumnMeans(X, 'X');
  const yMean = finiteColumnMeans(Y, 'Y');
  const folds = makeFolds(n, { folds: opts.folds, groups: opts.groups });
  for (const [f, fold] of folds.entries()) {
    if (fold.train.length < 2 || fold.test.length < 1) fail('BAD_INPUT', `Fold ${f + 1} has ${fold.train.length} training and ${fold.test.length} test samples; each fold needs ≥ 2 training and ≥ 1 test samples.`);
  }
  const solver = resolveSolver(opts.solver, p, n, folds);
  const dtype: WorkDtype = X.data instanceof Float64Array || Y.data instanceof Float64Array ? 'float64' : 'float32';

  const plan = await RIDGE_SOLVERS[solver]({ x: centredColumns(X, 0, p, xMean, 'float64'), folds, dtype, refit, nTargets: T });

  const nA = alphas.length;
  const rMax = Math.max(...plan.spectra.map((s) => s.lambdas.length));
  // default: the fused score graph's nA×r×batch arrays near 2^22 floats (16 MiB), which stay in
  // cache: measured 1.5x faster than 2^25 on bench:ridge; batches are balanced so the last one is
  // not a small, inefficient remainder
  const maxBatch = Math.max(64, Math.floor((1 << 22) / (nA * rMax)));
  const batch = Math.max(1, Math.min(T, opts.targetBatch ?? Math.ceil(T / Math.ceil(T / maxBatch))));
  const bestAlphas = new Float64Array(T);
  const bestCvScores = new Float64Array(T);
  const cvScores = new Float64Array(nA * T);
  const alsoCvScores = opts.alsoScore === undefined ? undefined : new Float64Array(nA * T);
  const bestAlsoCvScores = opts.alsoScore === undefined ? undefined : new Float64Array(T);
  const coef = new Float32Array(refit ? p * T : 0);

  opts.onProgress?.(0, T);
  for (let t0 = 0; t0 < T; t0 += batch) {
    const b = Math.min(batch, T - t0);
    const { batch: tb, means } = await crossValidateBatch(plan, Y, t0, b, yMean, dtype, alphas, scoreList);
    for (let al = 0; al < nA; al++) for (let t = 0; t < b; t++) cvScores[al * T + t0 + t] = means[0][al * b + t];
    const choice = chooseAlphas(means[0], alphas, b);
    bestAlphas.set(choice.bestAlphas, t0);
    bestCvScores.set(choice.bestCvScores, t0);
    if (alsoCvScores && bestAlsoCvScores) {
      for (let al = 0; al < nA; al++) for (let t = 0; t < b; t++) alsoCvScores[al * T + t0 + t] = means[1][al * b + t];
      for (let t = 0; t < b; t++) bestAlsoCvScores[t0 + t] = means[1][choice.bestIndex[t] * b + t];
    }
    if (refit) {
      const w = await plan.refit(tb, choice.bestAlphas);
      for (let i = 0; i < p; i++) {
        const src = i * b;
        const dst = i * T + t0;
        for (let t = 0; t < b; t++) coef[dst + t] = w.data[src + t];
      }
    }
    opts.onProgress?.(t0 + b, T);
  }
  const scores: RidgeCVScores = { alphas, bestAlphas, bestCvScores, cvScores, ...(alsoCvScores ? { alsoCvScores, bestAlsoCvScores } : {}), nFeatures: p, nTargets: T, score, solver, nFolds: folds.length };
  return refit ? { ...scores, coef, xMean, yMean } : scores;
}
