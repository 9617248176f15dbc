import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseAlphas, fitRidgeCV, logspace, makeFolds, ridgeCVScores } from '../../src/ridge/index.ts';
import { bruteForceCv, problem } from './reference.ts';

test('chooseAlphas(cvScores, alphas, T) takes each target\'s highest mean CV score, ties to the larger alpha, and reports that score and its row', () => {
  // 3 alphas × 4 targets, row a = alphas[a]
  const alphas = [10, 0.1, 1000];
  const cv = [
    0.5, 0.2, -1, 0.7,
    0.4, 0.2, -2, 0.7,
    0.1, 0.1, -3, 0.7,
  ];
  const c = chooseAlphas(cv, alphas, 4);
  assert.deepEqual(Array.from(c.bestAlphas), [10, 10, 10, 1000]);
  assert.deepEqual(Array.from(c.bestCvScores), [0.5, 0.2, -1, 0.7]);
  assert.deepEqual(Array.from(c.bestIndex), [0, 0, 0, 2]);
  assert.deepEqual(Array.from(chooseAlphas([0.1, 0.5, 0.3, 0.5], [1, 10], 2).bestCvScores), [0.3, 0.5]);
});

test('fitRidgeCV(X, Y).bestCvScores is each target\'s CV score at its chosen alpha, the best over the grid (brute-force CV reference)', async () => {
  const alphas = Array.from(logspace(-1, 4, 6));
  const { X, Y } = problem(36, 8, 5, 3, 'float64', 2);
  const groups = Array.from({ length: 36 }, (_, i) => Math.floor(i / 3));
  const fit = await fitRidgeCV(X, Y, { alphas, score: 'r', folds: 4, groups });
  const want = bruteForceCv(X, Y, alphas, makeFolds(36, { folds: 4, groups }), 'r');
  for (let t = 0; t < 5; t++) {
    let best = -Infinity;
    for (let a = 0; a < alphas.length; a++) best = Math.max(best, want[a * 5 + t]!);
    assert.ok(Math.abs(fit.bestCvScores[t]! - best) < 1e-10, `target ${t}: ${fit.bestCvScores[t]} vs ${best}`);
    assert.equal(fit.bestCvScores[t], fit.cvScores[alphas.indexOf(fit.bestAlphas[t]!) * 5 + t]);
  }
});

test("ridgeCVScores(X, Y, { score: 'r2', alsoScore: 'r' }).bestAlsoCvScores is the CV r at the alpha chosen by R²", async () => {
  const alphas = Array.from(logspace(-1, 4, 6));
  const { X, Y } = problem(36, 8, 4, 6, 'float32', 2);
  const groups = Array.from({ length: 36 }, (_, i) => Math.floor(i / 3));
  const cv = await ridgeCVScores(X, Y, { alphas, score: 'r2', alsoScore: 'r', folds: 4, groups });
  const wantR = bruteForceCv(X, Y, alphas, makeFolds(36, { folds: 4, groups }), 'r');
  for (let t = 0; t < 4; t++) {
    const a = alphas.indexOf(cv.bestAlphas[t]!);
    assert.equal(cv.bestAlsoCvScores![t], cv.alsoCvScores![a * 4 + t]);
    assert.ok(Math.abs(cv.bestAlsoCvScores![t]! - wantR[a * 4 + t]!) < 1e-4);
  }
  assert.equal((await ridgeCVScores(X, Y, { alphas, folds: 4, groups })).bestAlsoCvScores, undefined);
});
