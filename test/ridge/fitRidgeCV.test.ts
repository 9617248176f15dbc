import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRng, type Matrix } from '../../src/linalg/index.ts';
import { fitRidge, fitRidgeCV, kFold, logspace, makeFolds, predictRidge, ridgeCVScores, type RidgeScore } from '../../src/ridge/index.ts';
import { Brain2MusicError } from '../../src/errors.ts';
import { bruteForceCv, closedForm, maxRelErr, predict, problem } from './reference.ts';

const ALPHAS = [1e-3, 0.1, 3, 100, 1e4];

for (const dtype of ['float64', 'float32'] as const) {
  const tol = dtype === 'float64' ? 1e-5 : 1e-3;
  for (const [n, p, solver] of [[40, 12, 'primal'], [18, 30, 'kernel'], [40, 12, 'kernel'], [18, 30, 'primal']] as const) {
    test(`fitRidgeCV(X, Y, { alphas: [α], solver: '${solver}' }) equals (XᵀX + αI)⁻¹XᵀY on centred ${dtype} data (n=${n}, p=${p}) for every α`, async () => {
      const { X, Y } = problem(n, p, 3, 11, dtype);
      for (const alpha of ALPHAS) {
        const fit = await fitRidgeCV(X, Y, { alphas: [alpha], solver, folds: 4 });
        assert.equal(fit.solver, solver);
        const ref = closedForm(X, Y, alpha);
        const err = maxRelErr(fit.coef, ref.beta);
        assert.ok(err <= tol, `α=${alpha}: coef rel err ${err} > ${tol}`);
        assert.ok(maxRelErr(fit.xMean, ref.xm) < 1e-12 && maxRelErr(fit.yMean, ref.ym) < 1e-12);
        const yhat = await predictRidge(fit, X);
        const all = Array.from({ length: n }, (_, i) => i);
        assert.ok(maxRelErr(yhat.data, predict(ref, X, all, 3)) <= tol, `α=${alpha}: predictions`);
      }
    });
  }
}

for (const score of ['mse', 'r2', 'r'] as const) {
  test(`fitRidgeCV(X, Y, { score: '${score}' }) CV scores equal a brute-force refit per fold and alpha, K-fold and group folds, both solvers`, async () => {
    const alphas = Array.from(logspace(-1, 4, 6));
    const { X, Y } = problem(36, 8, 4, 5, 'float64', 2);
    const groups = Array.from({ length: 36 }, (_, i) => Math.floor(i / 4) % 5);
    for (const [foldOpts, label] of [[{ folds: 5 }, 'kfold'], [{ folds: 3, groups }, 'group'], [{ folds: 'leave-one-group-out' as const, groups }, 'logo']] as const) {
      const want = bruteForceCv(X, Y, alphas, makeFolds(36, foldOpts), score);
      for (const solver of ['primal', 'kernel'] as const) {
        const fit = await fitRidgeCV(X, Y, { alphas, score, solver, ...foldOpts });
        const err = maxRelErr(fit.cvScores, want);
        assert.ok(err < 1e-8, `${label} ${solver}: cv score rel err ${err}`);
        for (let t = 0; t < 4; t++) {
          let best = 0;
          for (let a = 1; a < alphas.length; a++) if (want[a * 4 + t] >= want[best * 4 + t]) best = a;
          assert.equal(fit.bestAlphas[t], alphas[best], `${label} ${solver} target ${t}`);
        }
      }
    }
  });
}

test('fitRidgeCV(X, Y, { folds: [fold] }) scores one explicit fold like a brute-force refit on its training rows, both solvers', async () => {
  const alphas = Array.from(logspace(-1, 4, 6));
  for (const [n, p] of [[36, 8], [14, 30]]) {
    const { X, Y } = problem(n, p, 4, 9, 'float64', 2);
    // an irregular fold (not a contiguous block): every third sample from 1 on is tested
    const all = Array.from({ length: n }, (_, i) => i);
    const fold = { train: Int32Array.from(all.filter((i) => i % 3 !== 1)), test: Int32Array.from(all.filter((i) => i % 3 === 1)) };
    const want = bruteForceCv(X, Y, alphas, [fold], 'r');
    for (const solver of ['primal', 'kernel'] as const) {
      const fit = await fitRidgeCV(X, Y, { alphas, score: 'r', solver, folds: [fold] });
      assert.equal(fit.nFolds, 1);
      assert.ok(maxRelErr(fit.cvScores, want) < 1e-8, `${n}×${p} ${solver}: rel err ${maxRelErr(fit.cvScores, want)}`);
    }
  }
});

test("fitRidgeCV(X, Y, { score: 'r2', alsoScore: 'r' }) also reports every alpha's CV r, equal to a brute-force refit per fold, both solvers", async () => {
  const alphas = Array.from(logspace(-1, 4, 6));
  const { X, Y } = problem(36, 8, 4, 6, 'float32', 2);
  const groups = Array.from({ length: 36 }, (_, i) => Math.floor(i / 3));
  const folds = makeFolds(36, { folds: 4, groups });
  const wantR2 = bruteForceCv(X, Y, alphas, folds, 'r2');
  const wantR = bruteForceCv(X, Y, alphas, folds, 'r');
  for (const solver of ['primal', 'kernel'] as const) {
    const fit = await ridgeCVScores(X, Y, { alphas, score: 'r2', alsoScore: 'r', folds: 4, groups, solver });
    assert.ok(maxRelErr(fit.cvScores, wantR2) < 1e-4, `${solver} r2: ${maxRelErr(fit.cvScores, wantR2)}`);
    assert.ok(maxRelErr(fit.alsoCvScores!, wantR) < 1e-4, `${solver} r: ${maxRelErr(fit.alsoCvScores!, wantR)}`);
    const plain = await ridgeCVScores(X, Y, { alphas, score: 'r2', folds: 4, groups, solver });
    assert.deepEqual(plain.cvScores, fit.cvScores, 'the primary score is unchanged');
    assert.deepEqual(plain.bestAlphas, fit.bestAlphas);
    assert.equal(plain.alsoCvScores, undefined);
  }
});

test('ridgeCVScores(X, Y, opts) returns the CV scores and alphas of fitRidgeCV without coefficients, both solvers', async () => {
  const { X, Y } = problem(30, 10, 5, 4, 'float32');
  const groups = Array.from({ length: 30 }, (_, i) => Math.floor(i / 3));
  for (const solver of ['primal', 'kernel'] as const) {
    const opts = { alphas: logspace(-2, 4, 7), score: 'r' as const, folds: 4, groups, solver };
    const full = await fitRidgeCV(X, Y, opts);
    const cv = await ridgeCVScores(X, Y, opts);
    assert.deepEqual(cv.cvScores, full.cvScores, `${solver}: identical scores`);
    assert.deepEqual(cv.bestAlphas, full.bestAlphas);
    assert.equal(cv.solver, solver);
    assert.ok(!('coef' in cv), 'no coefficients');
  }
});

test('fitRidge(X, Y, alphaOf) equals (XᵀX + α_t I)⁻¹XᵀY per target on centred data, both solvers, float64 and float32', async () => {
  const alphaOf = [0.01, 3, 100, 1e4];
  for (const dtype of ['float64', 'float32'] as const) {
    const tol = dtype === 'float64' ? 1e-6 : 1e-3;
    for (const [n, p] of [[40, 12], [18, 30]]) {
      const { X, Y } = problem(n, p, 4, 13, dtype);
      for (const solver of ['primal', 'kernel'] as const) {
        const fit = await fitRidge(X, Y, alphaOf, { solver, targetBatch: 3 });
        assert.equal(fit.solver, solver);
        alphaOf.forEach((alpha, t) => {
          const ref = closedForm(X, Y, alpha);
          const got = Float64Array.from({ length: p }, (_, j) => fit.coef[j * 4 + t]);
          const want = Float64Array.from({ length: p }, (_, j) => ref.beta[j * 4 + t]);
          assert.ok(maxRelErr(got, want) <= tol, `${dtype} ${n}×${p} ${solver} α=${alpha}: rel err ${maxRelErr(got, want)}`);
        });
        assert.ok(maxRelErr(fit.yMean, closedForm(X, Y, 1).ym) < 1e-12);
      }
    }
  }
  const { X, Y } = problem(10, 3, 2, 1, 'float64');
  await assert.rejects(fitRidge(X, Y, [1]), /1 alphas for 2 targets/);
  await assert.rejects(fitRidge(X, Y, [1, 0]), /alpha of target 1 is 0/);
});

test('fitRidgeCV(X, Y) picks the smallest alpha for a noiseless target (float32, rescored in float64)', async () => {
  const rng = createRng(21);
  const n = 60;
  const p = 5;
  const X = new Float32Array(n * p).map(() => rng.normal());
  const Y = new Float32Array(n);
  for (let i = 0; i < n; i++) Y[i] = X[i * p] - 2 * X[i * p + 3]; // exactly linear: any shrinkage hurts
  const alphas = logspace(-3, 6, 10);
  const fit = await fitRidgeCV({ rows: n, cols: p, data: X }, { rows: n, cols: 1, data: Y }, { alphas });
  assert.equal(fit.bestAlphas[0], alphas[0]);
  assert.ok(fit.cvScores[0] > fit.cvScores[1] && fit.cvScores[1] > fit.cvScores[2], 'MSE grows with alpha');
});

test('fitRidgeCV(X, Y) finds the Bayes-optimal alpha σ²/τ² = 10 when weights ~ N(0, τ²) and noise ~ N(0, σ²)', async () => {
  const rng = createRng(1);
  const n = 200;
  const p = 20;
  const T = 300;
  const tau2 = 0.1;
  const X = new Float32Array(n * p).map(() => rng.normal());
  const W = Float64Array.from({ length: p * T }, () => rng.normal() * Math.sqrt(tau2));
  const Y = new Float32Array(n * T);
  for (let i = 0; i < n; i++) for (let t = 0; t < T; t++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += X[i * p + j] * W[j * T + t];
    Y[i * T + t] = s + rng.normal();
  }
  const alphas = logspace(-2, 4, 7);
  const fit = await fitRidgeCV({ rows: n, cols: p, data: X }, { rows: n, cols: T, data: Y }, { alphas });
  const chose10 = fit.bestAlphas.filter((a) => a === 10).length;
  assert.ok(chose10 > 0.7 * T, `${chose10} of ${T} targets chose alpha 10`);
  const mean = Array.from(alphas, (_, a) => fit.cvScores.subarray(a * T, (a + 1) * T).reduce((s, v) => s + v, 0) / T);
  assert.equal(mean.indexOf(Math.max(...mean)), 3);
});

test('fitRidgeCV(X, Y) breaks ties toward the larger alpha (a constant target scores the same for every alpha)', async () => {
  const { X } = problem(20, 3, 1, 2, 'float64');
  const Y: Matrix = { rows: 20, cols: 2, data: new Float64Array(40).map((_, i) => (i % 2 === 0 ? 4 : i)) };
  const alphas = [10, 0.1, 1000, 1];
  const fit = await fitRidgeCV(X, Y, { alphas, folds: 4 });
  assert.equal(fit.bestAlphas[0], 1000);
  for (let a = 0; a < 4; a++) assert.equal(fit.cvScores[a * 2], 0);
  assert.equal(fit.coef[0], 0);
});

test("fitRidgeCV(X, Y, { solver: 'primal' }) and { solver: 'kernel' } agree on coefficients and CV scores", async () => {
  for (const [n, p] of [[30, 10], [15, 40]]) {
    const { X, Y } = problem(n, p, 5, 8, 'float64');
    const alphas = logspace(-2, 5, 8);
    const a = await fitRidgeCV(X, Y, { alphas, solver: 'primal' });
    const b = await fitRidgeCV(X, Y, { alphas, solver: 'kernel' });
    assert.ok(maxRelErr(a.coef, b.coef) < 1e-6, `${n}×${p} coef`);
    assert.ok(maxRelErr(a.cvScores, b.cvScores) < 1e-9, `${n}×${p} scores`);
    assert.deepEqual(a.bestAlphas, b.bestAlphas);
    assert.equal((await fitRidgeCV(X, Y, { alphas })).solver, p <= n ? 'primal' : 'kernel');
  }
});

test('fitRidgeCV(X, Y, { targetBatch }) gives the same result for any batch size and reports progress per batch', async () => {
  const { X, Y } = problem(30, 6, 7, 3, 'float32');
  const whole = await fitRidgeCV(X, Y);
  const seen: number[] = [];
  const parts = await fitRidgeCV(X, Y, { targetBatch: 3, onProgress: (done, total) => seen.push(done, total) });
  assert.deepEqual(seen, [0, 7, 3, 7, 6, 7, 7, 7]);
  assert.deepEqual(parts.bestAlphas, whole.bestAlphas);
  assert.ok(maxRelErr(parts.coef, whole.coef) < 1e-6);
  assert.ok(maxRelErr(parts.cvScores, whole.cvScores) < 1e-6);
});

test('fitRidgeCV(X, Y) rejects NaN/Inf, mismatched rows, bad alphas and too few samples with clear errors', async () => {
  const { X, Y } = problem(10, 3, 2, 1, 'float32');
  const bad = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);
  const Xn: Matrix = { ...X, data: X.data.slice() };
  Xn.data[2 * 3 + 1] = NaN;
  await assert.rejects(fitRidgeCV(Xn, Y), bad('BAD_INPUT', /X has a non-finite value \(NaN\) at row 2, column 1/));
  const Yi: Matrix = { ...Y, data: Y.data.slice() };
  Yi.data[5] = Infinity;
  await assert.rejects(fitRidgeCV(X, Yi), bad('BAD_INPUT', /Y has a non-finite value \(Infinity\) at row 2, column 1/));
  await assert.rejects(fitRidgeCV(X, { rows: 9, cols: 2, data: Y.data.subarray(0, 18) }), bad('MISMATCH', /X has 10 samples \(rows\) but Y has 9/));
  await assert.rejects(fitRidgeCV(X, Y, { alphas: [1, 0] }), bad('BAD_INPUT', /Alpha #2 is 0/));
  await assert.rejects(fitRidgeCV(X, Y, { alphas: [] }), bad('BAD_INPUT', /alpha grid is empty/));
  await assert.rejects(fitRidgeCV(X, Y, { folds: 11 }), bad('BAD_INPUT', /Too few samples for 11-fold/));
  await assert.rejects(fitRidgeCV(X, Y, { folds: 'leave-one-group-out' }), bad('BAD_INPUT', /needs groups/));
  await assert.rejects(fitRidgeCV(X, Y, { folds: 2, groups: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1] }), bad('BAD_INPUT', /Fold 1 has 1 training and 9 test samples/));
  await assert.rejects(fitRidgeCV(X, Y, { score: 'auc' as RidgeScore }), bad('BAD_INPUT', /Unknown score 'auc'/));
  await assert.rejects(fitRidgeCV(X, Y, { groups: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1], folds: 3 }), bad('BAD_INPUT', /Too few groups for 3-fold.*2 distinct groups/));
});

test('kFold(n, k) splits like scikit-learn KFold without shuffling', () => {
  const folds = kFold(11, 3);
  assert.deepEqual(folds.map((f) => Array.from(f.test)), [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10]]);
  assert.deepEqual(Array.from(folds[1].train), [0, 1, 2, 3, 8, 9, 10]);
});
