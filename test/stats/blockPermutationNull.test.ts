import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockPermutationNull, fdrBh, gaussianNullP, P_SOURCE } from '../../src/stats/index.ts';
import type { Matrix } from '../../src/linalg/index.ts';
import { createRng, mulberry32 } from '../../src/linalg/index.ts';
import { clipSeries } from './clipSeries.ts';

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

test('blockPermutationNull(Y, P, { method: "circular" }) returns the direct Pearson r and pEmpirical = (1 + #{null ≥ r}) / (1 + nPerm)', () => {
  const normal = createRng(11).normal;
  const Y = ar1(60, 5, 0.5, normal), P = ar1(60, 5, 0.5, normal);
  const res = blockPermutationNull(Y, P, { method: 'circular', nPerm: 49, seed: 2, minShift: 5 });
  assert.equal(res.nullR!.length, 49 * 5);
  for (let v = 0; v < 5; v++) {
    const y = column(Y, v), p = column(P, v);
    assert.ok(Math.abs(res.r[v]! - pearson(y, p)) < 1e-12);
    let count = 0;
    for (let k = 0; k < 49; k++) if (res.nullR![k * 5 + v]! >= res.r[v]!) count++;
    assert.equal(res.pEmpirical[v], (1 + count) / 50);
    // p ≥ 0.1 (count ≥ 4 of 49) is never refined
    if (count >= 4) assert.equal(res.p[v], res.pEmpirical[v]);
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
      assert.equal(res.pEmpirical[v], (1 + count) / (1 + nPerm));
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
  assert.ok(Number.isNaN(a.r[2]!) && Number.isNaN(a.p[2]!) && Number.isNaN(a.pEmpirical[2]!));
  assert.ok(a.p[0]! >= 1 / 31 && a.p[0]! <= 1);
  assert.throws(() => blockPermutationNull(Y, { rows: 40, cols: 2, data: new Float64Array(80) }), /same scans × voxels/);
});

test('blockPermutationNull(Y, P) is calibrated on white noise: about 5% of voxels have p ≤ 0.05 (both methods)', () => {
  const normal = createRng(21).normal;
  const Y = ar1(100, 1500, 0, normal), P = ar1(100, 1500, 0, normal);
  for (const method of ['circular', 'block'] as const) {
    const { p } = blockPermutationNull(Y, P, { nPerm: 99, seed: 1, method, keepNull: false, pTail: 'none' });
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
    // the circular null and the count alone, as measured in the README ("Statistics")
    const block = blockPermutationNull(Y, P, { method: 'circular', pTail: 'none', nPerm: 999, seed, keepNull: false, minShift: 20 });
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

/**
 * T × V "brains" of clips: nB blocks of L scans, each block's noise an AR(1) restarted at the
 * block (so blocks are exchangeable, as the block null assumes) plus a clip effect; predictions
 * are smoother (AR 0.8 plus a clip effect). Voxels v < nSignal get y = a·prediction + noise.
 */
function clipBrain(seed: number, nB: number, L: number, V: number, nSignal: number, a: number): { Y: Matrix; P: Matrix } {
  const rng = createRng(seed);
  const T = nB * L;
  const Y = new Float64Array(T * V), P = new Float64Array(T * V);
  const series = (rho: number, clipSd: number) => clipSeries(nB, L, rho, clipSd, rng.normal);
  for (let v = 0; v < V; v++) {
    const p = series(0.8, 1), n = series(0.3 + 0.6 * rng.uniform(), 1.5 * rng.uniform());
    for (let t = 0; t < T; t++) { P[t * V + v] = p[t]!; Y[t * V + v] = (v < nSignal ? a * p[t]! : 0) + n[t]!; }
  }
  return { Y: { rows: T, cols: V, data: Y }, P: { rows: T, cols: V, data: P } };
}

test('blockPermutationNull(Y, P) defaults to block shuffles of 10 samples and the Pareto tail; each voxel\'s p does not depend on the others', () => {
  const { Y, P } = clipBrain(3, 8, 10, 700, 40, 0.8);
  const def = blockPermutationNull(Y, P, { nPerm: 1000, seed: 5 });
  const explicit = blockPermutationNull(Y, P, { nPerm: 1000, seed: 5, method: 'block', blockLength: 10, pTail: 'gpd', keepNull: false });
  assert.equal(def.pTail, 'gpd');
  assert.deepEqual(def.p, explicit.p);
  assert.deepEqual(def.pSource, explicit.pSource);
  assert.ok(def.pSource.some((s) => s === P_SOURCE.gpd), 'some voxels refined');
  // 700 voxels span two passes of 512: the same permutations in both, so one voxel alone gets the same p
  for (const v of [3, 511, 512, 699]) {
    const col = (m: Matrix) => ({ rows: m.rows, cols: 1, data: Float64Array.from({ length: m.rows }, (_, t) => m.data[t * m.cols + v]!) });
    const one = blockPermutationNull(col(Y), col(P), { nPerm: 1000, seed: 5 });
    assert.equal(one.p[0], def.p[v]);
    assert.equal(one.pEmpirical[0], def.pEmpirical[v]);
  }
});

test('blockPermutationNull(Y, P) with 1,000 shuffles: p beyond every shuffle within a factor 2 below and 10 above the p of 10⁶ shuffles, down to 1e-5', () => {
  // 48 voxels of 20 clips × 6 scans with signal of several strengths, so that r falls from the
  // edge of the 1,000 shuffles to well beyond them; the reference is the count over 10⁶ shuffles
  // (other ones: another seed), kept where at least 10 of them reach r (p ≥ 1.1e-5).
  const nB = 20, L = 6, V = 48;
  const { Y, P } = clipBrain(78, nB, L, V, 0, 0);
  for (let v = 0; v < V; v++) { const a = 0.4 + 0.01 * v; for (let t = 0; t < nB * L; t++) Y.data[t * V + v]! += a * P.data[t * V + v]!; }
  const fit = blockPermutationNull(Y, P, { nPerm: 1000, blockLength: L, seed: 1, keepNull: false });
  const ref = blockPermutationNull(Y, P, { nPerm: 1_000_000, blockLength: L, seed: 2, keepNull: false, pTail: 'none' });
  const ratios: string[] = [];
  let checked = 0;
  for (let v = 0; v < V; v++) {
    const truth = ref.p[v]!;
    if (fit.pSource[v] !== P_SOURCE.gpd || truth * 1_000_001 < 11) continue;
    checked++;
    const lr = Math.log10(fit.p[v]! / truth);
    ratios.push(`${truth.toExponential(1)}:${lr.toFixed(2)}`);
    assert.ok(lr > -Math.log10(2) && lr < 1, `voxel ${v}: p ${fit.p[v]} vs ${truth} from 10⁶ shuffles`);
  }
  console.log(`true p : log10(p / true p) for the voxels beyond every one of 1,000 shuffles: ${ratios.join(' ')}`);
  assert.ok(checked >= 6, `${checked} voxels checked`);
});

test('blockPermutationNull(Y, P, { nPerm: 1000 }) is calibrated on exchangeable noise below its floor; with fewer shuffles the tail is not used', () => {
  // 2 brains of 20,000 noise voxels: p ≤ 1e-4 is expected 4 times, p ≤ 1e-5 0.4 times. The voxels
  // of one brain share their shuffles, so their p-values are correlated; the bounds are Poisson
  // + 3.5 sd. (The calibration beyond the floor is tested precisely in correlationNullP.test.ts.)
  const V = 20_000;
  const at = (p: Float64Array, a: number) => p.reduce((s, x) => s + (x <= a ? 1 : 0), 0);
  let n4 = 0, n5 = 0;
  for (const seed of [21, 22]) {
    const { Y, P } = clipBrain(seed, 20, 6, V, 0, 0);
    const res = blockPermutationNull(Y, P, { nPerm: 1000, blockLength: 6, seed, keepNull: false });
    n4 += at(res.p, 1e-4); n5 += at(res.p, 1e-5);
    console.log(`brain ${seed}: p ≤ 0.01 ${at(res.p, 0.01)} (expected 200), ≤ 1e-3 ${at(res.p, 1e-3)} (20), ≤ 1e-4 ${at(res.p, 1e-4)} (2), ≤ 1e-5 ${at(res.p, 1e-5)} (0.2); from the tail ${res.pSource.filter((s) => s === P_SOURCE.gpd).length}`);
    for (let v = 0; v < V; v++) if (res.pSource[v] === P_SOURCE.empirical) assert.equal(res.p[v], res.pEmpirical[v]);
  }
  assert.ok(n4 <= 4 + 3.5 * 2 && n5 <= 0.4 + 3.5 * Math.sqrt(0.4), `p ≤ 1e-4: ${n4} (4 expected), ≤ 1e-5: ${n5} (0.4)`);
  const { Y, P } = clipBrain(23, 20, 6, 2000, 0, 0);
  const few = blockPermutationNull(Y, P, { nPerm: 200, blockLength: 6, seed: 1, keepNull: false });
  assert.deepEqual(few.p, few.pEmpirical);
});

test('the floor is gone: fdrBh(blockPermutationNull(…, { nPerm: 1000 }).p) finds voxels with strong effects at q = 0.05 where the count cannot, FDP ≤ 0.05', () => {
  // 4,000 voxels, 20 clips × 6 scans. With the count alone the smallest p is 1/1001, and BH at
  // q = 0.05 can then declare nothing unless ≥ 4000 / (0.05 · 1001) = 80 voxels (2%) sit at the
  // floor: 1% of the voxels with signal (mean r 0.6) are beyond its reach, 5% are not. FDP over
  // 16 brains: BH's expectation with exact p is 0.05 × 95% = 0.0475, and one brain's FDP varies by
  // about ±0.015, so the mean is tested against 0.05 plus two standard errors over brains.
  const V = 4000;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const se = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1) / xs.length);
  for (const [frac, brains] of [[0.01, 8], [0.05, 16], [0, 16]] as const) {
    const nSignal = frac * V;
    const fdp: number[] = [], fdpCount: number[] = [], found: number[] = [], floorFound: number[] = [];
    for (let b = 0; b < brains; b++) {
      const { Y, P } = clipBrain(500 + 10 * b + frac * 1000, 20, 6, V, nSignal, 1.5);
      const res = blockPermutationNull(Y, P, { nPerm: 1000, blockLength: 6, seed: b, keepNull: false });
      const count = (q: Float64Array) => {
        let d = 0, f = 0;
        for (let v = 0; v < V; v++) if (q[v]! <= 0.05) { d++; if (v >= nSignal) f++; }
        return { d, f };
      };
      const g = count(fdrBh(res.p)), e = count(fdrBh(res.pEmpirical));
      fdp.push(g.d ? g.f / g.d : 0);
      fdpCount.push(e.d ? e.f / e.d : 0);
      found.push(g.d - g.f);
      floorFound.push(e.d - e.f);
    }
    console.log(`${frac * 100}% with signal, ${brains} brains: found ${found.join(', ')} of ${nSignal} (count alone ${floorFound.join(', ')}); `
      + `FDP ${fdp.map((x) => x.toFixed(3)).join(', ')}, mean ${mean(fdp).toFixed(4)} ± ${se(fdp).toFixed(4)} (count alone ${mean(fdpCount).toFixed(4)})`);
    if (frac === 0.01) assert.ok(floorFound.every((n) => n === 0), 'the count alone finds nothing at 1%');
    if (frac > 0) {
      assert.ok(found.every((n) => n >= 0.9 * nSignal), `${frac}: found ${found}`);
      assert.ok(mean(fdp) <= 0.05 + 2 * se(fdp), `${frac}: mean FDP ${mean(fdp)} ± ${se(fdp)}`);
    } else {
      // No signal: any discovery is false, so the mean FDP is the share of brains with one, which BH
      // bounds by 0.05 (0.8 of 16 expected; measured 2, each a single voxel; P(≥ 3) = 0.05 at 0.8).
      assert.ok(fdp.filter((x) => x > 0).length <= 2, `noise brains with a false discovery: ${fdp}`);
    }
  }
});
