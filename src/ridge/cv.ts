import { forcedBackend, getBackend, matmul, scaledQuadForms, SMALL_GEMM_FLOPS, type GraphBackend, type Matrix } from '../linalg/index.ts';
import { alloc, type WorkDtype } from './arrays.ts';
import { scoreFromSums, type RidgeScore } from './scores.ts';
import type { RidgePlan, TargetBatch } from './solvers.ts';
import { targetBatchOnGraph } from './targetBatchGraph.ts';
import { targetBatch } from './targets.ts';

// The cross-validation machinery of fitRidgeCV (himalaya's _random_search role): CV scores of
// every alpha from a prepared solver plan's per-fold spectra, and the choice of alpha per target.

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
    const dbm: Matrix = { rows: nA, cols: r, data: db };
    const withSum = scores.includes('r');
    const graph = plan.foldSums ? await graphBackend(nA * spec.quad(dtype).rows * r * b) : null;
    const { syh, shh, sh } = graph && plan.foldSums ? await plan.foldSums(f, tb, dm, dbm, withSum, graph) : await foldSumsByProducts(plan, f, tb, dm, dbm, withSum);
    const nTe = spec.nTest;
    const mu = tb.trainMean[f];
    for (let t = 0; t < b; t++) {
      // test targets centred with the training mean: Σy and Σy² from the raw sums
      const sy = tb.testSum[f][t] - nTe * mu[t];
      const syy = tb.testSq[f][t] - 2 * mu[t] * tb.testSum[f][t] + nTe * mu[t] * mu[t];
      let minSse = Infinity;
      for (let al = 0; al < nA; al++) {
        const k = al * b + t;
        const yh = syh.data[k];
        const hh = shh.data[k];
        for (let j = 0; j < scores.length; j++) acc[j][k] += scoreFromSums(scores[j], nTe, sy, syy, yh, sh ? sh.data[k] : 0, hh);
        minSse = Math.min(minSse, syy - 2 * yh + hh);
      }
      if (minSse < RESCORE_BELOW * syy) nearPerfect[t] = true;
    }
  }
  return { acc, nearPerfect };
}

/** Σyŷ, Σŷ² and (withSum) Σŷ of fold f, nA×b each, from the solver's fold terms through separate products. */
async function foldSumsByProducts(plan: RidgePlan, f: number, tb: TargetBatch, dm: Matrix, dbm: Matrix, withSum: boolean): Promise<{ syh: Matrix; shh: Matrix; sh: Matrix | null }> {
  const spec = plan.spectra[f];
  const { a, c } = await plan.foldTerms(f, tb);
  const ca = alloc(a.data.length, a.data instanceof Float64Array ? 'float64' : 'float32');
  for (let i = 0; i < ca.length; i++) ca[i] = c.data[i] * a.data[i];
  const syh = await matmul(dm, { rows: a.rows, cols: a.cols, data: ca }); // Σ y·ŷ
  const shh = await scaledQuadForms(spec.quad(a.data instanceof Float64Array ? 'float64' : 'float32'), a, dm, spec.mode); // Σ ŷ²
  const sh = withSum ? await matmul(dbm, a) : null; // Σ ŷ
  return { syh, shh, sh };
}

/** The backend for a fused graph of `flops` work, when it runs graphs (the size rule of matmul and scaledQuadForms). */
async function graphBackend(flops: number): Promise<GraphBackend | null> {
  const backend = await getBackend(forcedBackend() ?? (flops < SMALL_GEMM_FLOPS ? 'js' : undefined));
  return backend.runGraph ? (backend as GraphBackend) : null;
}

/** One target batch cross-validated: its targets as the solver sees them and the mean CV scores. */
export interface BatchCv {
  /** Columns t0..t0+b of Y centred with `yMean`, in the work dtype, with their per-fold sums (for the refit). */
  batch: TargetBatch;
  /** Per requested score: the mean over folds of every alpha, nA×b row-major (row a = alphas[a]). */
  means: Float64Array[];
}

/**
 * crossValidateBatch(plan, Y, t0, b, yMean, dtype, alphas, scores) → the mean CV score of every
 * alpha for targets t0..t0+b of Y (n×T), on the folds of `plan`. Scores come from exact
 * sufficient statistics per fold (no n_test×b prediction is formed); in float32, targets with a
 * near-perfect fold are rescored in float64, where nothing cancels.
 */
export async function crossValidateBatch(
  plan: RidgePlan, Y: Matrix, t0: number, b: number, yMean: Float64Array, dtype: WorkDtype, alphas: Float64Array, scores: readonly RidgeScore[],
): Promise<BatchCv> {
  const nA = alphas.length;
  const folds = plan.folds;
  const sameDtype = (Y.data instanceof Float64Array) === (dtype === 'float64');
  const graph = sameDtype ? await graphBackend(folds.length * Y.rows * b) : null;
  const tb = graph ? await targetBatchOnGraph(graph, Y, t0, b, yMean, dtype, folds) : targetBatch(Y, { t0, b }, yMean, dtype, folds);
  const { acc: accs, nearPerfect } = await scoreBatch(plan, tb, alphas, scores);
  if (dtype === 'float32' && nearPerfect.some(Boolean)) {
    const cols = nearPerfect.flatMap((flag, t) => (flag ? [t] : []));
    const exact = await scoreBatch(plan, targetBatch(Y, cols.map((t) => t0 + t), yMean, 'float64', folds), alphas, scores);
    accs.forEach((acc, s) => cols.forEach((t, j) => {
      for (let al = 0; al < nA; al++) acc[al * b + t] = exact.acc[s][al * cols.length + j];
    }));
  }
  return { batch: tb, means: accs.map((acc) => acc.map((v) => v / folds.length)) };
}

/** Each target's alpha chosen by CV (see {@link chooseAlphas}). */
export interface AlphaChoice {
  /** Chosen alpha per target (T). */
  bestAlphas: Float64Array;
  /** The mean CV score at that alpha (T): the best over the grid. */
  bestCvScores: Float64Array;
  /** Row of that alpha in the grid (T). */
  bestIndex: Int32Array;
}

/**
 * chooseAlphas(cvScores, alphas, T) → per target the alpha with the highest mean CV score
 * (`cvScores`: nAlphas×T row-major, higher is better), ties going to the larger alpha, and that
 * score. The one rule of alpha choice, for fitRidgeCV and for callers that average CV scores
 * over folds of their own (nested CV).
 * @example chooseAlphas([0.1, 0.5, 0.3, 0.5], [1, 10], 2) // bestAlphas [10, 10], bestCvScores [0.3, 0.5]
 */
export function chooseAlphas(cvScores: ArrayLike<number>, alphas: ArrayLike<number>, T: number): AlphaChoice {
  const nA = alphas.length;
  const bestAlphas = new Float64Array(T);
  const bestCvScores = new Float64Array(T);
  const bestIndex = new Int32Array(T);
  for (let t = 0; t < T; t++) {
    let best = 0;
    for (let al = 1; al < nA; al++) {
      const v = cvScores[al * T + t];
      const cur = cvScores[best * T + t];
      if (v > cur || (v === cur && alphas[al] > alphas[best])) best = al;
    }
    bestAlphas[t] = alphas[best];
    bestCvScores[t] = cvScores[best * T + t];
    bestIndex[t] = best;
  }
  return { bestAlphas, bestCvScores, bestIndex };
}
