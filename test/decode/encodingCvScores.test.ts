import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodingCvScores } from '../../src/decode/index.ts';
import { makeFolds } from '../../src/ridge/index.ts';
import { closedForm, predict } from '../ridge/reference.ts';
import { normalStream } from './synthetic.ts';

// 12 clips × 3 windows, a 4-d embedding, 6 voxels: voxels 0-2 respond to the embedding with
// decreasing strength, 3-4 are noise, 5 is constant.
const C = 12, W = 3, T = 4, V = 6, n = C * W;
const g = normalStream(5);
const Y = new Float32Array(n * T);
const X = new Float32Array(n * V);
const groups = Int32Array.from({ length: n }, (_, i) => Math.floor(i / W));
for (let i = 0; i < n; i++) {
  for (let t = 0; t < T; t++) Y[i * T + t] = 2 + 3 * t + (1 + t) * g();
  const y = Y.subarray(i * T, (i + 1) * T);
  const amp = [1, 0.5, 0.2, 0, 0];
  for (let v = 0; v < 5; v++) X[i * V + v] = amp[v] * (y[0] - 2 - 0.5 * y[2]) + g();
  X[i * V + 5] = 7;
}
const alphas = [0.1, 10, 1000];

/** Float64 reference: z-scored features, closed-form ridge per fold and alpha, R² and Pearson r by hand, mean over folds; r at the best-R² alpha (ties to the larger). */
function reference(rows: number[], K: number): number[] {
  const m = rows.length;
  const F = new Float64Array(m * T);
  for (let t = 0; t < T; t++) {
    let mu = 0;
    for (const i of rows) mu += Y[i * T + t] / m;
    let ss = 0;
    for (const i of rows) ss += (Y[i * T + t] - mu) ** 2 / m;
    rows.forEach((i, k) => { F[k * T + t] = (Y[i * T + t] - mu) / Math.sqrt(ss); });
  }
  const R = Float64Array.from({ length: m * V }, (_, k) => X[rows[Math.floor(k / V)] * V + (k % V)]);
  const Fm = { rows: m, cols: T, data: F };
  const Rm = { rows: m, cols: V, data: R };
  const folds = makeFolds(m, { folds: K, groups: rows.map((i) => groups[i]) });
  return Array.from({ length: V }, (_, v) => {
    const per = alphas.map((alpha) => {
      let sr = 0, sr2 = 0;
      for (const f of folds) {
        const te = Array.from(f.test);
        const tr = Array.from(f.train);
        const pred = predict(closedForm(Fm, Rm, alpha, tr), Fm, te, V);
        const a = te.map((i) => R[i * V + v]);
        const b = te.map((_, k) => pred[k * V + v]);
        const ma = a.reduce((s, x) => s + x, 0) / a.length;
        const mb = b.reduce((s, x) => s + x, 0) / b.length;
        let sab = 0, saa = 0, sbb = 0, sse = 0;
        a.forEach((x, k) => { sab += (x - ma) * (b[k] - mb); saa += (x - ma) ** 2; sbb += (b[k] - mb) ** 2; sse += (x - b[k]) ** 2; });
        sr += saa > 1e-9 && sbb > 1e-18 ? sab / Math.sqrt(saa * sbb) : 0;
        sr2 += saa > 1e-9 ? 1 - sse / saa : 0;
      }
      return { r: sr / folds.length, r2: sr2 / folds.length };
    });
    let best = 0;
    per.forEach((s, i) => { if (s.r2 >= per[best].r2) best = i; });
    return per[best].r;
  });
}

test('encodingCvScores(train) gives each voxel the mean held-out Pearson r over clip-grouped folds at its CV-R² alpha (float64 reference)', async () => {
  const res = await encodingCvScores({ X, nVoxels: V, Y, nTargets: T, groups }, { folds: 4, alphas });
  const want = reference(Array.from({ length: n }, (_, i) => i), 4);
  for (let v = 0; v < V; v++) assert.ok(Math.abs(res.r[v] - want[v]) < 1e-4, `voxel ${v}: ${res.r[v]} vs ${want[v]}`);
  assert.equal(res.r[5], 0, 'a constant voxel scores 0');
  assert.ok(res.r[0] > res.r[1] && res.r[1] > res.r[2] && res.r[2] > Math.max(res.r[3], res.r[4]), `ordered by strength: ${[...res.r]}`);
  assert.deepEqual([res.nRows, res.nClips, res.nFolds], [36, 12, 4]);
  for (const a of res.bestAlpha) assert.ok(alphas.map(Math.fround).includes(a), `alpha ${a}`);
});

test('encodingCvScores(train, { rows }) uses only those rows: the others may hold NaN, and the result equals the subset fitted alone', async () => {
  const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => groups[i] % 4 !== 1); // 9 of 12 clips
  const Xnan = X.slice();
  const Ynan = Y.slice();
  for (let i = 0; i < n; i++) if (groups[i] % 4 === 1) { Xnan.fill(Number.NaN, i * V, (i + 1) * V); Ynan.fill(Number.NaN, i * T, (i + 1) * T); }
  const res = await encodingCvScores({ X: Xnan, nVoxels: V, Y: Ynan, nTargets: T, groups }, { rows, folds: 3, alphas });
  const want = reference(Array.from(rows), 3);
  for (let v = 0; v < V; v++) assert.ok(Math.abs(res.r[v] - want[v]) < 1e-4, `voxel ${v}: ${res.r[v]} vs ${want[v]}`);
  const sub = await encodingCvScores({
    X: Float32Array.from(Array.from(rows).flatMap((i) => Array.from(X.subarray(i * V, (i + 1) * V)))), nVoxels: V,
    Y: Float32Array.from(Array.from(rows).flatMap((i) => Array.from(Y.subarray(i * T, (i + 1) * T)))), nTargets: T,
    groups: Int32Array.from(rows, (i) => groups[i]),
  }, { folds: 3, alphas });
  assert.deepEqual(new Uint8Array(res.r.buffer), new Uint8Array(sub.r.buffer), 'bit-identical to the subset alone');
  assert.equal(res.nClips, 9);
});

test('encodingCvScores(train, { voxelBatch }) does not depend on the batch size and reports progress per batch', async () => {
  const whole = await encodingCvScores({ X, nVoxels: V, Y, nTargets: T, groups }, { folds: 4, alphas });
  const seen: number[] = [];
  const parts = await encodingCvScores({ X, nVoxels: V, Y, nTargets: T, groups }, { folds: 4, alphas, voxelBatch: 4, onProgress: (d, t) => seen.push(d, t) });
  assert.deepEqual(seen, [0, 6, 4, 6, 6, 6]);
  for (let v = 0; v < V; v++) assert.ok(Math.abs(parts.r[v] - whole.r[v]) < 1e-6, `voxel ${v}`);
  // folds are capped at the number of clips
  assert.equal((await encodingCvScores({ X, nVoxels: V, Y, nTargets: T, groups }, { folds: 50, alphas })).nFolds, 12);
});
