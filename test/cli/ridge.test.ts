import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readNpy, writeNpy } from '../../src/io/index.ts';
import { createRng } from '../../src/linalg/index.ts';
import { fitRidgeCV } from '../../src/ridge/index.ts';
import { parseAlphas, runRidge } from '../../src/cli/commands/ridge.ts';
import { silentUi } from '../../src/cli/ui.ts';
import { Brain2MusicError } from '../../src/errors.ts';

/** Writes X (n×p), Y (n×T) = X W + noise, and a held-out pair into dir. */
function writeProblem(dir: string, n = 40, p = 6, T = 3): void {
  const rng = createRng(17);
  const w = Float64Array.from({ length: p * T }, () => rng.normal());
  const make = (rows: number, name: string) => {
    const x = Float32Array.from({ length: rows * p }, () => rng.normal());
    const y = new Float32Array(rows * T);
    for (let i = 0; i < rows; i++) for (let t = 0; t < T; t++) {
      let s = 1;
      for (let j = 0; j < p; j++) s += x[i * p + j] * w[j * T + t];
      y[i * T + t] = s + 0.5 * rng.normal();
    }
    writeNpy(join(dir, `${name}X.npy`), x, [rows, p]);
    writeNpy(join(dir, `${name}Y.npy`), y, [rows, T]);
  };
  make(n, '');
  make(20, 'test_');
}

test('runRidge(opts) writes best alphas, CV scores, coefficients, test predictions and r that match fitRidgeCV', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ridge-cli-'));
  try {
    writeProblem(dir);
    const out = join(dir, 'out');
    const lines: string[] = [];
    const summary = await runRidge({ x: join(dir, 'X.npy'), y: join(dir, 'Y.npy'), out, alphas: 'logspace:-2:4:7', cv: 4, xTest: join(dir, 'test_X.npy'), yTest: join(dir, 'test_Y.npy') }, { ...silentUi, info: (l) => lines.push(l) });
    const X = readNpy(join(dir, 'X.npy'));
    const Y = readNpy(join(dir, 'Y.npy'));
    const fit = await fitRidgeCV({ rows: 40, cols: 6, data: X.data as Float32Array }, { rows: 40, cols: 3, data: Y.data as Float32Array }, { alphas: [0.01, 0.1, 1, 10, 100, 1000, 10000], folds: 4 });
    const best = readNpy(join(out, 'best_alphas.npy'));
    assert.equal(best.dtype, '<f8');
    assert.deepEqual(best.data, fit.bestAlphas);
    const cv = readNpy(join(out, 'cv_scores.npy'));
    assert.deepEqual(cv.shape, [7, 3]);
    assert.deepEqual(cv.data, fit.cvScores);
    const coef = readNpy(join(out, 'coef.npy'));
    assert.deepEqual([coef.dtype, coef.shape], ['<f4', [6, 3]]);
    assert.deepEqual(coef.data, fit.coef);
    const pred = readNpy(join(out, 'test_pred.npy'));
    assert.deepEqual([pred.dtype, pred.shape], ['<f4', [20, 3]]);
    const r = readNpy(join(out, 'test_r.npy')).data as Float64Array;
    assert.ok(r.every((v) => v > 0.9), `test r ${Array.from(r)}`);
    // intercept: ŷ = x·coef + intercept reproduces test_pred
    const icpt = readNpy(join(out, 'intercept.npy')).data as Float32Array;
    const xt = readNpy(join(dir, 'test_X.npy')).data as Float32Array;
    let s = icpt[1];
    for (let j = 0; j < 6; j++) s += xt[j] * (coef.data as Float32Array)[j * 3 + 1];
    assert.ok(Math.abs(s - (pred.data as Float32Array)[1]) < 1e-4);
    assert.equal(summary.nTargets, 3);
    assert.match(lines[0], /^ridge: 40 samples × 6 features → 3 targets, primal solver, 4 folds, 7 alphas; median best alpha .*mean test r 0\.9\d+; wrote 7 files/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runRidge(opts) rejects mismatched rows, NaN, constant columns, bad alphas, bad groups and too few samples, naming the problem', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ridge-cli-'));
  try {
    writeProblem(dir);
    const x = join(dir, 'X.npy');
    const y = join(dir, 'Y.npy');
    const out = join(dir, 'out');
    const bad = (code: string, re: RegExp) => (e: unknown) => e instanceof Brain2MusicError && e.code === code && re.test(e.message);
    await assert.rejects(runRidge({ x, y: join(dir, 'test_Y.npy'), out }, silentUi), bad('MISMATCH', /has 40 samples \(rows\) but Y .*test_Y\.npy has 20/));
    const nan = new Float32Array(40 * 6).fill(1).map((_, i) => i);
    nan[7] = NaN;
    writeNpy(join(dir, 'nan.npy'), nan, [40, 6]);
    await assert.rejects(runRidge({ x: join(dir, 'nan.npy'), y, out }, silentUi), bad('BAD_INPUT', /non-finite value \(NaN\) at row 1, column 1/));
    const constant = Float32Array.from({ length: 40 * 6 }, (_, i) => (i % 6 === 4 ? 2.5 : Math.sin(i)));
    writeNpy(join(dir, 'const.npy'), constant, [40, 6]);
    await assert.rejects(runRidge({ x: join(dir, 'const.npy'), y, out }, silentUi), bad('BAD_INPUT', /column 4 is constant \(value 2\.5\)/));
    await assert.rejects(runRidge({ x, y, out, alphas: '1,-2' }, silentUi), bad('BAD_INPUT', /Alpha #2 is -2/));
    await assert.rejects(runRidge({ x, y, out, alphas: '1,abc' }, silentUi), bad('BAD_INPUT', /'abc' is not a number/));
    await assert.rejects(runRidge({ x, y, out, cv: 41 }, silentUi), bad('BAD_INPUT', /Too few samples for 41-fold/));
    writeNpy(join(dir, 'g.npy'), new Int32Array(39), [39]);
    await assert.rejects(runRidge({ x, y, out, groups: join(dir, 'g.npy') }, silentUi), bad('MISMATCH', /one label per sample \(40\)/));
    await assert.rejects(runRidge({ x, y, out, xTest: x }, silentUi), bad('BAD_INPUT', /both --x-test and --y-test/));
    await assert.rejects(runRidge({ x: join(dir, 'missing.npy'), y, out }, silentUi), bad('NOT_FOUND', /missing\.npy/));
    assert.ok(!existsSync(out), 'nothing written on failure');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('parseAlphas(spec) reads comma lists and logspace:START:STOP:NUM', () => {
  assert.deepEqual(Array.from(parseAlphas('0.5, 2,10')), [0.5, 2, 10]);
  assert.deepEqual(Array.from(parseAlphas('logspace:-1:1:3')), [0.1, 1, 10]);
  assert.throws(() => parseAlphas(''), /'' is not a number/);
});

test('brain2music ridge --x --y --groups --out (spawned) exits 0, prints the summary and writes the files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ridge-cli-'));
  try {
    writeProblem(dir);
    writeNpy(join(dir, 'groups.npy'), Int32Array.from({ length: 40 }, (_, i) => Math.floor(i / 8)), [40]);
    const out = join(dir, 'out');
    const res = spawnSync(process.execPath, ['bin/brain2music.js', 'ridge', '--x', join(dir, 'X.npy'), '--y', join(dir, 'Y.npy'), '--groups', join(dir, 'groups.npy'), '--alphas', 'logspace:-2:4:7', '--score', 'r2', '--out', out], { encoding: 'utf8' });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /ridge: 40 samples × 6 features → 3 targets, primal solver, 5 folds, 7 alphas; median best alpha [\d.e+-]+, mean CV r2 0\.\d+/);
    for (const f of ['best_alphas.npy', 'cv_scores.npy', 'coef.npy', 'intercept.npy', 'alphas.npy']) assert.ok(existsSync(join(out, f)), f);
    const bad = spawnSync(process.execPath, ['bin/brain2music.js', 'ridge', '--x', join(dir, 'X.npy'), '--y', join(dir, 'Y.npy'), '--alphas', '0', '--out', out], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /error: Alpha #1 is 0; every alpha must be a finite number > 0/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
