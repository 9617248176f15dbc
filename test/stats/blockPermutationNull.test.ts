import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockPermutationNull, fdrBh, gaussianNullP } from '../../src/stats/index.ts';
import type { Matrix } from '../../src/linalg/index.ts';
import { createRng, mulberry32 } from '../../src/linalg/index.ts';

function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]!; my += y[i]!; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { const a = x[i]! - mx, b = y[i]! - my; sxy += a * b; sxx += a * a; syy += b * b; }
  return sxy / Math.sqrt(sxx * syy);
}
function column(m: Matrix, v: number): Float64Array {
  return Float64Array.from({ length: m.rows }, (_, t) => m.data[t * m.cols + v]!);
}
/** T × V matrix of independent AR(1) columns with unit variance and lag-1 autocorrelation rho. */
function ar1(T: number, V: number, rho: number, normal: () => number): Matrix {
  const data = new Float64Array(T * V);
  const s = Math.sqrt(1 - rho * rho);
  for (let v = 0; v < V; v++) {
    let x = normal();
    for (let t = 0; t < T; t++) { data[t * V + v] = x; x = rho * x + s * normal(); }
  }
  return { rows: T, cols: V, data };
}

test('blockPermutationNull(Y, P) returns the direct Pearson r and p = (1 + #{null ≥ r}) / (1 + nPerm)', () => {
  const normal = createRng(11).normal;
  const Y = ar1(60, 5, 0.5, normal), P = ar1(60, 5, 0.5, normal);
  const res = blockPermutationNull(Y, P, { nPerm: 49, seed: 2, minShift: 5 });
  assert.equal(res.nullR!.length, 49 * 5);
  for (let v = 0; v < 5; v++) {
    const y = column(Y, v), p = column(P, v);
    assert.ok(Math.abs(res.r[v]! - pearson(y, p)) < 1e-12);
    let count = 0;
    for (let k = 0; k < 49; k++) if (res.nullR![k * 5 + v]! >= res.r[v]!) count++;
    assert.equal(res.p[v], (1 + count) / 50);
  }
  // every null row is the correlation with a circular shift s of Y, minShift ≤ s ≤ T - minShift, shared by all voxels
  for (let k = 0; k < 49; k++) {
    let found = -1;
    for (let s = 5; s <= 55 && found < 0; s++) {
      const ok = [0, 1, 2, 3, 4].every((v) => {
        const y = column(Y, v), shifted = Float64Array.from(y, (_, t) => y[(t + s) % 60]!);
        return Math.abs(pearson(shifted, column(P, v)) - res.nullR![k * 5 + v]!) < 1e-6;
      });
      if (ok) found = s;
    }
    assert.ok(found >= 0, `null row ${k} is no allowed circular shift`);
  }
});

test('blockPermutationNull(Y, P, { method: "block" }) gives each null row the correlation with a block shuffle of Y drawn from the seed, equal blocks or not', () => {
  const normal = createRng(13).normal;
  for (const [T, L] of [[60, 10], [57, 10]] as const) { // 60: the block-pair shortcut; 57: a shorter last block
    const V = 7, nPerm = 150;
    const Y = ar1(T, V, 0.6, normal), P = ar1(T, V, 0.6, normal);
    const res = blockPermutationNull(Y, P, { method: 'block', blockLength: L, nPerm, seed: 4 });
    // reference: the same Fisher-Yates draws from mulberry32(seed), applied to Y directly, Pearson in float64
    const rand = mulberry32(4);
    const nB = Math.ceil(T / L);
    for (let k = 0; k < nPerm; k++) {
      const order = Array.from({ length: nB }, (_, b) => b);
      for (let b = nB - 1; b > 0; b--) {
        const j = Math.floor(rand() * (b + 1));
        [order[b], order[j]] = [order[j]!, order[b]!];
      }
      const rows = order.flatMap((b) => Array.from({ length: Math.min(T, (b + 1) * L) - b * L }, (_, u) => b * L + u));
      for (let v = 0; v < V; v++) {
        const y = column(Y, v);
        const ref = pearson(rows.map((t) => y[t]!), column(P, v));
        assert.ok(Math.abs(res.nullR![k * V + v]! - ref) < 1e-6, `T ${T}, permutation ${k}, voxel ${v}: ${res.nullR![k * V + v]} vs ${ref}`);
      }
    }
    for (let v = 0; v < V; v++) {
      let count = 0;
      for (let k = 0; k < nPerm; k++) if (res.nullR![k * V + v]! >= res.r[v]!) count++;
      assert.equal(res.p[v], (1 + count) / (1 + nPerm));
    }
  }
});

test('blockPermutationNull(Y, P, { seed }) is deterministic; a constant column gives NaN r and p', () => {
  const normal = createRng(5).normal;
  const Y = ar1(40, 3, 0.3, normal), P = ar1(40, 3, 0.3, normal);
  for (let t = 0; t < 40; t++) Y.data[t * 3 + 2] = 1;
  const a = blockPermutationNull(Y, P, { nPerm: 30, seed: 9, method: 'block', blockLength: 5 });
  const b = blockPermutationNull(Y, P, { nPerm: 30, seed: 9, method: 'block', blockLength: 5 });
  assert.deepEqual(a.p, b.p);
  assert.deepEqual(a.nullR, b.nullR);
  assert.ok(Number.isNaN(a.r[2]!) && Number.isNaN(a.p[2]!));
  assert.ok(a.p[0]! >= 1 / 31 && a.p[0]! <= 1);
  assert.throws(() => blockPermutationNull(Y, { rows: 40, cols: 2, data: new Float64Array(80) }), /same scans × voxels/);
});

test('blockPermutationNull(Y, P) is calibrated on white noise: about 5% of voxels have p ≤ 0.05 (both methods)', () => {
  const normal = createRng(21).normal;
  const Y = ar1(100, 1500, 0, normal), P = ar1(100, 1500, 0, normal);
  for (const method of ['circular', 'block'] as const) {
    const { p } = blockPermutationNull(Y, P, { nPerm: 99, seed: 1, method, keepNull: false });
    const frac = p.reduce((s, x) => s + (x <= 0.05 ? 1 : 0), 0) / p.length;
    assert.ok(frac > 0.03 && frac < 0.07, `${method}: ${frac}`);
  }
});

// Autocorrelated fMRI-like test data: AR(1) noise with rho = 0.8 in both the measured response and the
// prediction (the smoothness of BOLD), so the Gaussian null (independent samples) is too lenient.
// Half the voxels carry signal (y = a·prediction + noise), half are pure noise. BH at q ≤ 0.05.
test('fdrBh(blockPermutationNull(...).p) keeps the false discovery proportion ≤ 5% on autocorrelated noise, the Gaussian null does not', () => {
  const T = 300, V = 400, nSignal = 200, seeds = [1, 2, 3, 4, 5, 6];
  const fdpBlock: number[] = [], fdpGauss: number[] = [], stats: string[] = [];
  for (const seed of seeds) {
    const normal = createRng(1000 + seed).normal;
    const P = ar1(T, V, 0.8, normal), N = ar1(T, V, 0.8, normal);
    const Y: Matrix = { rows: T, cols: V, data: new Float64Array(T * V) };
    for (let t = 0; t < T; t++) {
      for (let v = 0; v < V; v++) {
        const a = v < nSignal ? 0.3 + (0.5 * v) / nSignal : 0;
        Y.data[t * V + v] = a * P.data[t * V + v]! + N.data[t * V + v]!;
      }
    }
    const block = blockPermutationNull(Y, P, { nPerm: 999, seed, keepNull: false, minShift: 20 });
    const qBlock = fdrBh(block.p);
    const qGauss = fdrBh(gaussianNullP(block.r, T));
    const fdp = (q: Float64Array) => {
      let disc = 0, falseDisc = 0;
      for (let v = 0; v < V; v++) if (q[v]! <= 0.05) { disc++; if (v >= nSignal) falseDisc++; }
      return { disc, fdp: disc ? falseDisc / disc : 0 };
    };
    const b = fdp(qBlock), g = fdp(qGauss);
    fdpBlock.push(b.fdp);
    fdpGauss.push(g.fdp);
    assert.ok(b.disc > 50, `seed ${seed}: the block null still finds signal (${b.disc} discoveries)`);
    // at least as strict: never more discoveries, fewer noise voxels at p ≤ 0.05, and a larger p for
    // (nearly, up to permutation noise: ≤ 5%) every noise voxel in the Gaussian tail (p ≤ 0.1)
    assert.ok(b.disc <= g.disc, `seed ${seed}: block ${b.disc} vs gaussian ${g.disc} discoveries`);
    const pg = gaussianNullP(block.r, T);
    let inTail = 0, lower = 0, sigBlock = 0, sigGauss = 0;
    for (let v = nSignal; v < V; v++) {
      if (block.p[v]! <= 0.05) sigBlock++;
      if (pg[v]! <= 0.05) sigGauss++;
      if (pg[v]! > 0.1) continue; // the tail that decides significance
      inTail++;
      if (block.p[v]! < pg[v]!) lower++;
    }
    assert.ok(sigBlock <= sigGauss, `seed ${seed}: noise voxels at p ≤ 0.05: block ${sigBlock}, gaussian ${sigGauss}`);
    assert.ok(lower <= 0.05 * inTail, `seed ${seed}: ${lower} of ${inTail} noise voxels with Gaussian p ≤ 0.1 have a smaller block p than Gaussian p`);
    stats.push(`seed ${seed}: disc block ${b.disc} gauss ${g.disc}; noise p≤.05 block ${sigBlock} gauss ${sigGauss}; lower ${lower}/${inTail}`);
  }
  if (process.env.B2M_VERBOSE) console.log(stats.join('\n'), fdpBlock, fdpGauss);
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  assert.ok(mean(fdpBlock) <= 0.05, `block null: mean FDP ${mean(fdpBlock)} (per seed ${fdpBlock.map((x) => x.toFixed(3))})`);
  assert.ok(Math.max(...fdpBlock) <= 0.1, `block null: max FDP ${Math.max(...fdpBlock)}`);
  assert.ok(mean(fdpGauss) > 0.1, `Gaussian null on autocorrelated data should be too lenient, mean FDP ${mean(fdpGauss)}`);
});
