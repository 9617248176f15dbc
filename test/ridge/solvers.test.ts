import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useBackend } from '../../src/linalg/index.ts';
import { RIDGE_SOLVERS, autoSolver, fitRidge, fitRidgeCV, kFold, makeFolds, predictRidge, type SolverName } from '../../src/ridge/index.ts';
import { gemmBackends } from '../helpers/gemmBackends.ts';
import { bruteForceCv, closedForm, maxRelErr, predict, problem } from './reference.ts';

// Every registered solver × every GEMM backend that starts here (as the GEMM conformance suite
// enumerates them), against a float64 closed-form reference: the centred normal equations solved
// by Gaussian elimination (test/ridge/reference.ts), no eigendecomposition involved.
const SOLVERS = Object.keys(RIDGE_SOLVERS) as SolverName[];
const ALPHAS = [0.01, 1, 30, 1000];

for (const { name: backend, skip } of await gemmBackends()) {
  for (const solver of SOLVERS) {
    for (const dtype of ['float64', 'float32'] as const) {
      // float32 products on either backend: about 1e-6 relative per product, amplified by cond(XᵀX + αI)
      const tol = dtype === 'float64' ? 1e-6 : 2e-3;
      test(`fitRidgeCV(X, Y, { solver: '${solver}' }) on backend '${backend}', ${dtype}: coefficients, predictions and CV scores equal the float64 closed form (30×10 and 12×20, tolerance ${tol})`, { skip }, async () => {
        useBackend(backend);
        try {
          for (const [n, p] of [[30, 10], [12, 20]] as const) {
            const { X, Y } = problem(n, p, 3, 7 + p, dtype, 0.5);
            const folds = kFold(n, 3);
            const fit = await fitRidgeCV(X, Y, { alphas: ALPHAS, folds, solver, score: 'r2' });
            assert.equal(fit.solver, solver);
            const cv = bruteForceCv(X, Y, ALPHAS, folds, 'r2');
            assert.ok(maxRelErr(fit.cvScores, cv) <= tol, `${n}×${p}: CV scores rel err ${maxRelErr(fit.cvScores, cv)}`);
            // the Pearson score also needs Σŷ (on ONNX Runtime the primal form's fused fold graph computes it)
            const fitR = await fitRidgeCV(X, Y, { alphas: ALPHAS, folds, solver, score: 'r' });
            const cvR = bruteForceCv(X, Y, ALPHAS, folds, 'r');
            assert.ok(maxRelErr(fitR.cvScores, cvR) <= tol, `${n}×${p}: CV r rel err ${maxRelErr(fitR.cvScores, cvR)}`);
            for (let t = 0; t < 3; t++) {
              const ref = closedForm(X, Y, fit.bestAlphas[t]!);
              const got = Float64Array.from({ length: p }, (_, j) => fit.coef[j * 3 + t]!);
              const want = Float64Array.from({ length: p }, (_, j) => ref.beta[j * 3 + t]!);
              assert.ok(maxRelErr(got, want) <= tol, `${n}×${p} target ${t} (α=${fit.bestAlphas[t]}): coef rel err ${maxRelErr(got, want)}`);
              const all = Array.from({ length: n }, (_, i) => i);
              const pred = await predictRidge(fit, X);
              const wantPred = predict(ref, X, all, 3);
              const gotT = Float64Array.from(all, (i) => pred.data[i * 3 + t]!);
              const wantT = Float64Array.from(all, (i) => wantPred[i * 3 + t]!);
              assert.ok(maxRelErr(gotT, wantT) <= tol, `${n}×${p} target ${t}: predictions`);
            }
          }
        } finally {
          useBackend(null);
        }
      });

      test(`fitRidge(X, Y, alphaOf, { solver: '${solver}' }) on backend '${backend}', ${dtype}: one alpha per target, equal to the float64 closed form (tolerance ${tol})`, { skip }, async () => {
        useBackend(backend);
        try {
          for (const [n, p] of [[30, 10], [12, 20]] as const) {
            const { X, Y } = problem(n, p, 4, 3 + n, dtype, 0.5);
            const alphaOf = [0.1, 3, 100, 1e4];
            const fit = await fitRidge(X, Y, alphaOf, { solver });
            assert.equal(fit.solver, solver);
            alphaOf.forEach((alpha, t) => {
              const ref = closedForm(X, Y, alpha);
              const got = Float64Array.from({ length: p }, (_, j) => fit.coef[j * 4 + t]!);
              const want = Float64Array.from({ length: p }, (_, j) => ref.beta[j * 4 + t]!);
              assert.ok(maxRelErr(got, want) <= tol, `${n}×${p} α=${alpha}: rel err ${maxRelErr(got, want)}`);
            });
          }
        } finally {
          useBackend(null);
        }
      });
    }
  }
}

test('autoSolver(p, n, folds) is primal while p is at most the mean training-fold size, else kernel; without folds p is compared with n', () => {
  // 5-fold over 100 samples: 80 training rows per fold
  assert.equal(autoSolver(80, 100, kFold(100, 5)), 'primal');
  assert.equal(autoSolver(81, 100, kFold(100, 5)), 'kernel');
  // 103 samples: folds of 21, 21, 21, 20, 20 test rows → 412 training rows over 5 folds, mean 82.4
  assert.equal(autoSolver(82, 103, kFold(103, 5)), 'primal');
  assert.equal(autoSolver(83, 103, kFold(103, 5)), 'kernel');
  // one explicit fold: its training rows
  const fold = { train: Int32Array.from({ length: 30 }, (_, i) => i), test: Int32Array.from({ length: 10 }, (_, i) => 30 + i) };
  assert.equal(autoSolver(30, 40, [fold]), 'primal');
  assert.equal(autoSolver(31, 40, [fold]), 'kernel');
  assert.equal(autoSolver(40, 40, []), 'primal');
  assert.equal(autoSolver(41, 40, []), 'kernel');
});

test("fitRidgeCV(X, Y) with solver 'auto' takes the kernel form once p exceeds a fold's training rows, though p ≤ n, and agrees with the primal form", async () => {
  // 40 samples, 4 folds (30 training rows each), 35 features: every fold's XᵀX is singular
  const { X, Y } = problem(40, 35, 2, 5, 'float64', 0.5);
  const groups = Array.from({ length: 40 }, (_, i) => Math.floor(i / 2));
  const auto = await fitRidgeCV(X, Y, { alphas: ALPHAS, folds: 4, groups, score: 'r' });
  assert.equal(auto.solver, 'kernel');
  const primal = await fitRidgeCV(X, Y, { alphas: ALPHAS, folds: 4, groups, score: 'r', solver: 'primal' });
  assert.ok(maxRelErr(auto.cvScores, primal.cvScores) < 1e-8);
  assert.ok(maxRelErr(auto.coef, primal.coef) < 1e-5);
  const wide = await fitRidgeCV(X, Y, { alphas: ALPHAS, folds: makeFolds(40, { folds: 4, groups }).slice(0, 1) });
  assert.equal(wide.solver, 'kernel', 'one fold of 30 training rows: 35 > 30');
  const narrow = await fitRidge(X, Y, [1, 1]);
  assert.equal(narrow.solver, 'primal', 'a plain fit on all 40 rows: 35 ≤ 40');
});
