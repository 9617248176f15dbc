// Whole-cortex voxelwise encoding of one subject at the paper's size, against himalaya on the same
// machine and the same data (voxel subsets, extrapolated; see below).
//   npm run bench:encode            (paper preset: 60,000 voxels, 4,800 training scans, 128-d × 4 delays)
//   B2M_BENCH_VOXELS=5000 npm run bench:encode     (smaller, for a quick look)
// Data: 12 training runs of 40 clips and 6 test runs of 10 clips × 4 repetitions (as ds003720),
// 128-d features in 4 windows of 10 s per clip, responses = noise + a lagged low-rank signal in 20%
// of the voxels. brain2music: `encodeSubject` (design, ridge with 5-fold CV over 20 alphas per
// voxel, test r, Gaussian null + BH FDR, noise ceiling; the block null's cost is printed apart). himalaya: `RidgeCV` (numpy backend, svd
// solver, the same design, alphas, folds and targets), predict, r per voxel; its source is fetched
// to /tmp (B2M_HIMALAYA, default /tmp/himalaya-src) and run with /usr/bin/python3, never committed.
//   B2M_BENCH_HIMALAYA_VOXELS=3000,6000   the voxel subsets both tools fit for the comparison
//   B2M_OPENBLAS_CORETYPE=SkylakeX        OpenBLAS kernel for himalaya's process (default SkylakeX; auto: OpenBLAS's choice); printed
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEncodingDesign, cvGroups, encodeSubject, gatherMeanRows, gatherRows, type EncodingResponses } from '../src/encode/index.ts';
import type { ClipWindows } from '../src/embed/index.ts';
import { writeNpy } from '../src/io/index.ts';
import { blockPermutationNull } from '../src/stats/index.ts';

const V = Number(process.env.B2M_BENCH_VOXELS ?? 60000);
const DIM = 128;
const WINDOWS = [0, 1.5, 3, 4.5];
const S = 10;
const ALPHAS = Array.from({ length: 20 }, (_, i) => 10 ** (-2 + (10 * i) / 19));
const HIMALAYA = process.env.B2M_HIMALAYA ?? '/tmp/himalaya-src';
const NULL_PERMUTATIONS = Number(process.env.B2M_BENCH_NPERM ?? 10_000);
// Debian's OpenBLAS 0.3.21 falls back to its SSE3 kernel on this CPU; SkylakeX is the fastest correct one here ('auto': OpenBLAS's own choice)
const CORETYPE = process.env.B2M_OPENBLAS_CORETYPE ?? 'SkylakeX';
// himalaya's RidgeCV with our folds (PredefinedSplit), alphas and intercept; timed: fit, predict, r.
const HIMALAYA_PY = String.raw`
import sys, time, numpy as np
sys.path.insert(0, sys.argv[2])
from himalaya.backend import set_backend
from himalaya.ridge import RidgeCV
from sklearn.model_selection import PredefinedSplit
d = sys.argv[1]
set_backend('numpy', on_error='raise')
X = np.load(d + '/xtrain.npy'); Y = np.load(d + '/ytrain.npy'); Xt = np.load(d + '/xtest.npy'); Yt = np.load(d + '/ytest.npy')
folds = np.load(d + '/folds.npy'); alphas = np.load(d + '/alphas.npy')
t0 = time.perf_counter()
model = RidgeCV(alphas=alphas, fit_intercept=True, cv=PredefinedSplit(folds), solver='svd', solver_params=dict(n_targets_batch=2000, n_alphas_batch=5))
model.fit(X, Y)
P = model.predict(Xt)
P = P - P.mean(0); Z = Yt - Yt.mean(0)
r = (P * Z).sum(0) / np.sqrt((P * P).sum(0) * (Z * Z).sum(0))
dt = time.perf_counter() - t0
ours = np.load(d + '/ours_r.npy')
print('agreement |r_himalaya - r_brain2music| mean %.1e, max %.1e' % (np.nanmean(np.abs(r - ours)), np.nanmax(np.abs(r - ours))))
from threadpoolctl import threadpool_info
import os
print('blas: ' + '; '.join('%s %s, kernel %s, %s threads' % (i.get('internal_api'), i.get('version'), i.get('architecture'), i.get('num_threads')) for i in threadpool_info() if i.get('user_api') == 'blas') + ' (OPENBLAS_CORETYPE=%s)' % os.environ.get('OPENBLAS_CORETYPE'))
print('HIMALAYA_SECONDS %.3f' % dt)
`;

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
}

function makeSubject(): { resp: EncodingResponses; space: ClipWindows } {
  const u = xorshift(7);
  const gauss = () => (u() + u() + u() + u() - 2) * Math.sqrt(3); // approximately N(0, 1), fast
  const trainIds = Array.from({ length: 480 }, (_, i) => `train.${String(i).padStart(5, '0')}`);
  const testIds = Array.from({ length: 60 }, (_, i) => `test.${String(i).padStart(5, '0')}`);
  const clipIds = [...trainIds, ...testIds];
  const space: ClipWindows = { name: 'music', clipIds, data: Float32Array.from({ length: clipIds.length * WINDOWS.length * DIM }, gauss), nWindows: WINDOWS.length, dim: DIM, windowStarts: WINDOWS, windowSec: 10 };
  const K = 16;
  const informative = Math.floor(V / 5);
  const W = Float32Array.from({ length: K * informative }, () => gauss() * 0.25);
  const clipIndex = new Map(clipIds.map((id, i) => [id, i]));
  const runs: EncodingResponses['runs'] = [];
  const presentations: EncodingResponses['presentations'] = [];
  const makeRun = (task: 'Training' | 'Test', run: number, order: string[], reps: number[]) => {
    const nScans = order.length * S;
    const data = new Float32Array(nScans * V);
    for (let i = 0; i < data.length; i++) data[i] = gauss();
    for (let t = 3; t < nScans; t++) {
      const c = clipIndex.get(order[Math.floor((t - 3) / S)]!)!;
      const f = space.data.subarray(c * WINDOWS.length * DIM, c * WINDOWS.length * DIM + K); // first window, K dims
      const row = data.subarray(t * V, t * V + informative);
      for (let k = 0; k < K; k++) {
        const fk = f[k]!;
        const w = W.subarray(k * informative, (k + 1) * informative);
        for (let v = 0; v < informative; v++) row[v]! += fk * w[v]!;
      }
    }
    runs.push({ task, run, nScans, data });
    order.forEach((clipId, i) => presentations.push({ clipId, task, run, firstScan: i * S, repetition: reps[i]! }));
  };
  for (let r = 0; r < 12; r++) makeRun('Training', r + 1, trainIds.slice(r * 40, (r + 1) * 40), new Array<number>(40).fill(0));
  for (let r = 0; r < 6; r++) {
    const ids = testIds.slice(r * 10, (r + 1) * 10);
    const order = [...ids, ...ids, ...ids, ...ids];
    makeRun('Test', r + 1, order, order.map((_, i) => Math.floor(i / 10)));
  }
  const labels = Int32Array.from({ length: V }, (_, v) => 1 + Math.floor((v * 150) / V));
  const names = new Map(Array.from({ length: 150 }, (_, i) => [i + 1, `roi-${i + 1}`] as [number, string]));
  return { resp: { subject: 'sub-bench', tr: 1.5, nVoxels: V, runs, presentations, atlas: { labels, names } }, space };
}

const gb = (kb: number) => (kb / 1024 / 1024).toFixed(2);
console.log(`encode bench: ${V} voxels, 128-d features × 4 delays, 20 alphas, 5-fold CV (node ${process.version})`);
const tGen = performance.now();
const { resp, space } = makeSubject();
console.log(`synthetic subject: ${((performance.now() - tGen) / 1000).toFixed(1)} s, RSS ${gb(process.memoryUsage().rss / 1024)} GB`);
const rssData = process.resourceUsage().maxRSS;

const t0 = performance.now();
let last = 0;
const enc = await encodeSubject(resp, [{ name: 'music', spaces: [space] }], {
  alphas: ALPHAS, nullKind: 'gaussian', onModelProgress: (_m, done, total) => {
    if (done - last >= total / 5 || done === total) { last = done; console.log(`  ${done}/${total} voxels, ${((performance.now() - t0) / 1000).toFixed(1)} s`); }
  },
});
const ours = (performance.now() - t0) / 1000;
const peak = process.resourceUsage().maxRSS;
const m = enc.models[0]!;
let nSig = 0;
for (let v = 0; v < V; v++) nSig += m.significant[v]!;
console.log(`brain2music: ${ours.toFixed(1)} s, peak RSS ${gb(peak)} GB (data alone ${gb(rssData)} GB), ${nSig} significant voxels (${Math.floor(V / 5)} informative)`);
{
  // The block null (the default) on top: 10,000 clip-block shuffles (the pipeline's default) of the 600-scan test time course
  // for the voxels with r > 0 (the others get p = 1 without permuting, as fitEncoding does), in the
  // same voxel chunks. Random data of that size: the cost does not depend on the values.
  const nTest = m.nTest;
  let positive = 0;
  for (let v = 0; v < V; v++) if (m.r[v]! > 0) positive++;
  const obs = new Float32Array(nTest * 8192), pred = new Float32Array(nTest * 8192);
  const u = xorshift(3);
  for (let i = 0; i < obs.length; i++) { obs[i] = u() - 0.5; pred[i] = u() - 0.5; }
  const tb = performance.now();
  for (let c0 = 0; c0 < positive; c0 += 8192) {
    const w = Math.min(8192, positive - c0);
    blockPermutationNull({ rows: nTest, cols: w, data: obs.subarray(0, nTest * w) }, { rows: nTest, cols: w, data: pred.subarray(0, nTest * w) }, { method: 'block', blockLength: 10, nPerm: NULL_PERMUTATIONS, keepNull: false });
  }
  console.log(`block null (${NULL_PERMUTATIONS} permutations, ${nTest} test scans × ${positive} voxels with r > 0 of ${V}): +${((performance.now() - tb) / 1000).toFixed(1)} s`);
}

// himalaya on the same design and responses, for voxel subsets (it is too slow on this machine to
// run at 60k within a session): two subset sizes, both fitted by brain2music too for a same-size
// ratio, and himalaya's time extrapolated linearly (fixed + per-voxel cost) to V.
const SUBSETS = (process.env.B2M_BENCH_HIMALAYA_VOXELS ?? '3000,6000').split(',').map(Number).filter((k) => k > 0 && k <= V);
if (!existsSync(join(HIMALAYA, 'himalaya'))) {
  console.log(`himalaya: skipped (no source at ${HIMALAYA}; fetch github:gallantlab/himalaya and 'git archive' it there)`);
} else {
  const d = buildEncodingDesign(resp, [space]);
  const points: { k: number; ours: number; theirs: number }[] = [];
  for (const k of SUBSETS) {
    const sub: EncodingResponses = { ...resp, nVoxels: k, runs: resp.runs.map((r) => ({ ...r, data: subsetColumns(r.data, r.nScans, V, k) })), atlas: { labels: resp.atlas.labels.subarray(0, k), names: resp.atlas.names } };
    const t1 = performance.now();
    const e = await encodeSubject(sub, [{ name: 'music', spaces: [space] }], { alphas: ALPHAS, nullKind: 'gaussian' });
    const oursK = (performance.now() - t1) / 1000;
    const dir = mkdtempSync(join(tmpdir(), 'b2m-encode-bench-'));
    try {
      writeNpy(join(dir, 'xtrain.npy'), d.trainX, [d.nTrain, d.nFeatures]);
      writeNpy(join(dir, 'xtest.npy'), d.testX, [d.nTest, d.nFeatures]);
      writeNpy(join(dir, 'folds.npy'), cvGroups(d, 'clip', 5), [d.nTrain]);
      writeNpy(join(dir, 'ytest.npy'), gatherMeanRows(sub, d.testOffsets, d.testRun, d.testScan, 0, k), [d.nTest, k]);
      writeNpy(join(dir, 'ytrain.npy'), gatherRows(sub, d.trainRun, d.trainScan, 0, k), [d.nTrain, k]);
      writeNpy(join(dir, 'ours_r.npy'), e.models[0]!.r, [k]);
      writeNpy(join(dir, 'alphas.npy'), Float64Array.from(ALPHAS), [ALPHAS.length]);
      const res = spawnSync('/usr/bin/python3', ['-c', HIMALAYA_PY, dir, HIMALAYA], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...(CORETYPE === 'auto' ? {} : { OPENBLAS_CORETYPE: CORETYPE }) } });
      const theirs = Number(/HIMALAYA_SECONDS ([\d.]+)/.exec(res.stdout)?.[1]);
      const agree = /agreement (.*)/.exec(res.stdout)?.[1] ?? '';
      if (res.status !== 0 || !Number.isFinite(theirs)) { console.log(`himalaya ${k} voxels: failed (exit ${res.status})`); continue; }
      console.log(`${k} voxels: brain2music ${oursK.toFixed(1)} s, himalaya ${theirs.toFixed(1)} s (fit + predict + r), ratio ${(theirs / oursK).toFixed(2)}×; ${agree}; himalaya's ${/blas: (.*)/.exec(res.stdout)?.[1] ?? 'BLAS unknown'}`);
      points.push({ k, ours: oursK, theirs });
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }
  if (points.length >= 2) {
    const [a, b] = [points[0]!, points[points.length - 1]!];
    const slope = (b.theirs - a.theirs) / (b.k - a.k);
    const atV = a.theirs + slope * (V - a.k);
    console.log(`himalaya extrapolated to ${V} voxels: ${atV.toFixed(0)} s (${(slope * 1000).toFixed(1)} ms/voxel) vs brain2music measured ${ours.toFixed(0)} s: ratio ${(atV / ours).toFixed(2)}×`);
  }
}

function subsetColumns(data: Float32Array, rows: number, cols: number, k: number): Float32Array {
  const out = new Float32Array(rows * k);
  for (let i = 0; i < rows; i++) out.set(data.subarray(i * cols, i * cols + k), i * k);
  return out;
}
