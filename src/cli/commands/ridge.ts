import { join } from 'node:path';
import { fail } from '../../errors.ts';
import { readNpy, writeNpy, type NpyArray } from '../../io/index.ts';
import { pearsonColumns, type Matrix } from '../../linalg/index.ts';
import { checkAlphas, checkScore, fitRidgeCV, logspace, predictRidge, type RidgeScore } from '../../ridge/index.ts';
import type { CliUi } from '../ui.ts';

/** Options of `brain2music ridge` (see the CLI help). */
export interface RidgeOptions {
  x: string;
  y: string;
  out: string;
  /** 'a,b,c' or 'logspace:START:STOP:NUM' (default logspace:-2:8:20). */
  alphas?: string;
  /** Number of folds (default 5; with --groups: group K-fold). */
  cv?: number;
  /** Group label per sample (.npy, length n): without --cv, leave one group out. */
  groups?: string;
  xTest?: string;
  yTest?: string;
  score?: string;
}

/** What `runRidge` wrote and found. */
export interface RidgeSummary {
  nSamples: number;
  nFeatures: number;
  nTargets: number;
  solver: string;
  folds: number;
  score: RidgeScore;
  medianBestAlpha: number;
  meanBestCvScore: number;
  meanTestR?: number;
  seconds: number;
  files: string[];
}

/** Parses '--alphas': a comma list of numbers or logspace:START:STOP:NUM. */
export function parseAlphas(spec: string): Float64Array {
  const m = /^logspace:(-?[\d.]+(?:e-?\d+)?):(-?[\d.]+(?:e-?\d+)?):(\d+)$/i.exec(spec.trim());
  if (m) return checkAlphas(logspace(Number(m[1]), Number(m[2]), Number(m[3])));
  const parts = spec.split(',').map((s) => s.trim());
  const values = parts.map(Number);
  values.forEach((v, i) => {
    if (parts[i] === '' || Number.isNaN(v)) fail('BAD_INPUT', `--alphas: '${parts[i]}' is not a number; give a,b,c or logspace:START:STOP:NUM (e.g. logspace:-2:8:20).`);
  });
  return checkAlphas(values);
}

/** A .npy file as an n×cols matrix (1-D → one column), converted to float32/float64. */
function loadMatrix(path: string, what: string): Matrix {
  const arr: NpyArray = readNpy(path);
  if (arr.shape.length < 1 || arr.shape.length > 2) fail('BAD_INPUT', `${what} ${path} has shape (${arr.shape.join(', ')}); expected 2-D (samples × columns) or 1-D.`);
  const rows = arr.shape[0];
  const cols = arr.shape.length === 2 ? arr.shape[1] : 1;
  const d = arr.data;
  const data = d instanceof Float32Array || d instanceof Float64Array ? d : Float64Array.from(d as ArrayLike<number | bigint>, Number);
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) fail('BAD_INPUT', `${what} ${path} has a non-finite value (${data[i]}) at row ${Math.floor(i / cols)}, column ${i % cols}; remove or impute NaN/Inf first.`);
  }
  return { rows, cols, data };
}

/** Fails naming the first column that is constant over the samples. */
function rejectConstantColumns(m: Matrix, what: string, path: string): void {
  const { rows, cols, data } = m;
  if (rows < 2) return;
  const varies = new Uint8Array(cols);
  for (let i = 1; i < rows; i++) for (let j = 0; j < cols; j++) if (data[i * cols + j] !== data[j]) varies[j] = 1;
  const j = varies.indexOf(0);
  if (j >= 0) {
    const count = varies.reduce((s, v) => s + (v ? 0 : 1), 0);
    fail('BAD_INPUT', `${what} ${path}: column ${j} is constant (value ${data[j]})${count > 1 ? ` (and ${count - 1} more)` : ''}; drop constant columns before fitting.`);
  }
}

/**
 * `brain2music ridge`: cross-validated ridge from X.npy (samples × features) to Y.npy
 * (samples × targets), one alpha per target. Writes DIR/best_alphas.npy (float64, T),
 * DIR/cv_scores.npy (float64, alphas × T), DIR/coef.npy (float32, p × T), DIR/intercept.npy
 * (float32, T), DIR/alphas.npy, and with a test set DIR/test_pred.npy (float32, n_test × T)
 * and DIR/test_r.npy (float64, Pearson r per target). Every file is written atomically.
 */
export async function runRidge(opts: RidgeOptions, ui: CliUi): Promise<RidgeSummary> {
  const t0 = performance.now();
  const alphas = parseAlphas(opts.alphas ?? 'logspace:-2:8:20');
  const score = checkScore(opts.score ?? 'mse');
  if ((opts.xTest === undefined) !== (opts.yTest === undefined)) fail('BAD_INPUT', 'Give both --x-test and --y-test, or neither.');
  const X = loadMatrix(opts.x, 'X');
  const Y = loadMatrix(opts.y, 'Y');
  if (X.rows !== Y.rows) fail('MISMATCH', `X ${opts.x} has ${X.rows} samples (rows) but Y ${opts.y} has ${Y.rows}; they must match.`);
  rejectConstantColumns(X, 'X', opts.x);
  rejectConstantColumns(Y, 'Y', opts.y);
  let groups: Float64Array | undefined;
  if (opts.groups) {
    const g = readNpy(opts.groups);
    if (g.shape.length !== 1 || g.shape[0] !== X.rows) fail('MISMATCH', `groups ${opts.groups} has shape (${g.shape.join(', ')}); expected one label per sample (${X.rows}).`);
    groups = Float64Array.from(g.data as ArrayLike<number | bigint>, Number);
  }
  const folds = opts.groups && opts.cv === undefined ? 'leave-one-group-out' : (opts.cv ?? 5);
  const bar = ui.progress('ridge');
  const fit = await fitRidgeCV(X, Y, { alphas, folds, groups, score, onProgress: bar.update });
  bar.end();

  const p = fit.nFeatures;
  const T = fit.nTargets;
  const intercept = new Float32Array(T);
  for (let t = 0; t < T; t++) {
    let s = fit.yMean[t];
    for (let j = 0; j < p; j++) s -= fit.xMean[j] * fit.coef[j * T + t];
    intercept[t] = s;
  }
  const files: string[] = [];
  const save = (name: string, data: Float32Array | Float64Array, shape: number[]) => {
    const path = join(opts.out, name);
    writeNpy(path, data, shape);
    files.push(path);
  };
  save('best_alphas.npy', fit.bestAlphas, [T]);
  save('cv_scores.npy', fit.cvScores, [alphas.length, T]);
  save('coef.npy', fit.coef, [p, T]);
  save('intercept.npy', intercept, [T]);
  save('alphas.npy', fit.alphas, [alphas.length]);

  let meanTestR: number | undefined;
  if (opts.xTest && opts.yTest) {
    const XT = loadMatrix(opts.xTest, 'X test');
    const YT = loadMatrix(opts.yTest, 'Y test');
    if (XT.cols !== p) fail('MISMATCH', `X test ${opts.xTest} has ${XT.cols} features but X has ${p}.`);
    if (YT.cols !== T) fail('MISMATCH', `Y test ${opts.yTest} has ${YT.cols} targets but Y has ${T}.`);
    if (XT.rows !== YT.rows) fail('MISMATCH', `X test has ${XT.rows} samples but Y test has ${YT.rows}.`);
    const pred = await predictRidge(fit, XT);
    const r = pearsonColumns(YT, pred);
    save('test_pred.npy', pred.data, [pred.rows, T]);
    save('test_r.npy', r, [T]);
    meanTestR = r.reduce((s, v) => s + v, 0) / T;
  }
  const sorted = Float64Array.from(fit.bestAlphas).sort();
  const medianBestAlpha = sorted[Math.floor((T - 1) / 2)];
  let meanBest = 0;
  for (let t = 0; t < T; t++) meanBest += fit.bestCvScores[t] / T;
  const seconds = (performance.now() - t0) / 1000;
  const scoreName = score === 'mse' ? 'negative MSE' : score;
  ui.info(
    `ridge: ${X.rows} samples × ${p} features → ${T} targets, ${fit.solver} solver, ${fit.nFolds} folds, ${alphas.length} alphas; ` +
      `median best alpha ${medianBestAlpha.toPrecision(3)}, mean CV ${scoreName} ${meanBest.toPrecision(4)}` +
      (meanTestR === undefined ? '' : `, mean test r ${meanTestR.toFixed(4)}`) +
      `; wrote ${files.length} files to ${opts.out} in ${seconds.toFixed(1)} s`,
  );
  return { nSamples: X.rows, nFeatures: p, nTargets: T, solver: fit.solver, folds: fit.nFolds, score, medianBestAlpha, meanBestCvScore: meanBest, meanTestR, seconds, files };
}
