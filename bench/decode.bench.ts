// Decoding at the real dataset's scale: one synthetic subject with ds003720's sizes (480 training
// clips in 12 runs, 60 test clips × 4 repetitions, 148 ROIs with lognormal sizes summing to about
// 60k voxels, 4 windows × 128 dims), and the decoder's fits: one ridge per ROI (alpha per
// dimension from 5 clip-grouped folds, 20 alphas, scored by CV correlation, ROIs ranked) and the
// whole-cortex ridge. Baseline in the same run: himalaya doing the same work (RidgeCV or, where
// brain2music's rule picks the kernel form, KernelRidgeCV; the same alphas, folds, intercept and
// score), its ROI ranks, alphas and test predictions compared with ours.
// Usage: npm run bench:decode [-- --himalaya DIR | --no-himalaya] [--coretype SkylakeX|auto|…]
//   [--workers always|never] [--end-to-end] (also time decodeSubject, the whole job: fits, predictions, out-of-fold, scores)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALIGN_DEFAULTS, DECODE_DEFAULTS, RIDGE_DEFAULTS } from '../src/defaults.ts';
import { alignWindows } from '../src/align/index.ts';
import { rowsFor } from '../src/embed/index.ts';
import { genreOfClipId } from '../src/bids/index.ts';
import { readNpy, writeNpy } from '../src/io/index.ts';
import { groupKFold, logspace, predictRidge } from '../src/ridge/index.ts';
import { cortexRoi, decodeSubject, evaluateDecoding, fitRoiEnsemble, fitStandardizer, roiList, selectStandardized, type EnsembleMember, type RoiEnsemble } from '../src/decode/index.ts';
import { defaultSpec, makeSynthetic, normalStream } from '../test/decode/synthetic.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const nRois = Number(arg('--rois', '148'));
const targetVoxels = Number(arg('--voxels', '60000'));
// Optional cap on ROI size (--max-roi N; default none): ROIs above a fold's training rows use kernel ridge.
const maxRoi = Number(arg('--max-roi', 'Infinity'));
const himalayaPath = args.includes('--no-himalaya') ? '' : arg('--himalaya', process.env.HIMALAYA_PATH ?? '/tmp/himalaya-src');
const dataDir = arg('--data', '/tmp/brain2music-decode-bench');
// Debian's OpenBLAS 0.3.21 does not recognise this CPU and falls back to its SSE3 kernel; SkylakeX is the fastest correct one here (bench:ridge).
const coretype = arg('--coretype', 'SkylakeX');
// --workers always|never: force the ROI fits on or off worker threads (default: the decoder's own choice)
const workers = arg('--workers', 'auto') as 'auto' | 'always' | 'never';
const folds = RIDGE_DEFAULTS.folds;
const alphas = logspace(-2, 8, 20);

// ROI sizes: lognormal (σ 0.75), scaled to the voxel total; deterministic.
const g = normalStream(11);
const raw = Array.from({ length: nRois }, () => Math.exp(0.75 * g()));
const scale = targetVoxels / raw.reduce((a, b) => a + b, 0);
const roiSizes = raw.map((x) => Math.min(maxRoi, Math.max(20, Math.round(x * scale))));
const signal: Record<number, number> = {};
for (let r = 0; r < 10; r++) signal[r * 13] = 0.1 + 0.02 * r;

const seconds = (t0: number) => (performance.now() - t0) / 1000;
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

let t0 = performance.now();
const syn = makeSynthetic({ ...defaultSpec, genres: 10, trainPerGenre: 48, testPerGenre: 6, testReps: 4, trainRuns: 12, roiSizes, dim: 128, signal, seed: 3 });
const resp = syn.responses;
const emb = syn.embeddings;
const V = resp.nVoxels;
const T = emb.dim;
console.log(`synthetic subject: ${V} voxels in ${nRois} ROIs (min ${Math.min(...roiSizes)}, median ${[...roiSizes].sort((a, b) => a - b)[nRois >> 1]}, max ${Math.max(...roiSizes)}), generated in ${seconds(t0).toFixed(1)} s`);

// the decoder's inputs, as decodeSubject builds them
const windows = emb.windowStarts.map((s) => ({ start: s, end: s + emb.windowSec }));
const alignOpts = { lagTr: ALIGN_DEFAULTS.lagTr, scansPerClip: ALIGN_DEFAULTS.scansPerClip };
const train = alignWindows(resp, 'training', windows, alignOpts);
const test = alignWindows(resp, 'test', windows, alignOpts);
const Ytrain = rowsFor(emb, train.clipIds);
const Ytest = rowsFor(emb, test.clipIds);
const n = train.groups.length;
const m = test.groups.length;
const trainData = { X: train.data, nVoxels: V, Y: Ytrain, nTargets: T, groups: train.groups };
const rois = roiList(resp.atlas);
const cortex = cortexRoi(resp.atlas);
console.log(`decoder inputs: ${n} training rows (${train.clipIds.length} clips × ${train.nWindows} windows), ${m} test rows, ${T} dims; ${folds} folds grouped by clip, 20 alphas logspace(-2, 8)`);

// brain2music: every ROI's ridge (all kept, so every ROI's predictions can be compared), then the whole cortex
let last = 0;
let c0 = cpuSeconds();
t0 = performance.now();
const all = await fitRoiEnsemble(trainData, rois, {
  k: rois.length,
  alphas,
  folds,
  workers,
  onProgress: (done, total) => {
    if (done - last >= 30 || done === total) {
      last = done;
      console.log(`  ROI fits ${done}/${total} (${seconds(t0).toFixed(1)} s)`);
    }
  },
});
const oursRois = { wall: seconds(t0), cpu: cpuSeconds() - c0 };
c0 = cpuSeconds();
t0 = performance.now();
const wc = await fitRoiEnsemble(trainData, [cortex], { k: 1, alphas, folds });
const oursWc = { wall: seconds(t0), cpu: cpuSeconds() - c0 };
const ours = { wall: oursRois.wall + oursWc.wall, cpu: oursRois.cpu + oursWc.cpu };
console.log(`brain2music: ${rois.length} ROI fits ${oursRois.wall.toFixed(1)} s wall (${oursRois.cpu.toFixed(1)} s CPU), whole cortex (${cortex.voxels.length} voxels) ${oursWc.wall.toFixed(1)} s (${oursWc.cpu.toFixed(1)} s CPU); together ${ours.wall.toFixed(1)} s wall, ${ours.cpu.toFixed(1)} s CPU`);

async function testPredictions(model: RoiEnsemble, member: EnsembleMember): Promise<Float32Array> {
  const Xr = selectStandardized(test.data, m, V, member.roi.voxels, model.standardizer);
  return (await predictRidge(member.fit, { rows: m, cols: member.roi.voxels.length, data: Xr })).data as Float32Array;
}
// members in ROI order (fitRoiEnsemble returns them by rank), then the whole cortex
const byLabel = new Map(all.members.map((x) => [x.roi.label, x]));
const members = [...rois.map((r) => byLabel.get(r.label)!), wc.members[0]];
const models = [...rois.map(() => all), wc];

const oursPred: Float32Array[] = [];
for (const [i, x] of members.entries()) oursPred.push(await testPredictions(models[i], x));

// the ensemble the decoder keeps (top k by CV score) and its test scores
const k = DECODE_DEFAULTS.topRois;
const topK = all.members.slice(0, k);
const ensemblePred = new Float32Array(m * T);
for (const x of topK) {
  const p = await testPredictions(all, x);
  for (let i = 0; i < p.length; i++) ensemblePred[i] += p[i] / k;
}
const ens = evaluateDecoding(ensemblePred, Ytest, test.clipIds, test.nWindows, T, genreOfClipId);
const wcm = evaluateDecoding(await testPredictions(wc, wc.members[0]), Ytest, test.clipIds, test.nWindows, T, genreOfClipId);
console.log(`  top ${k} ROIs: ${topK.map((x) => `${x.roi.name}(${x.roi.voxels.length})`).join(' ')}; ${topK.filter((x) => syn.informativeLabels.includes(x.roi.label)).length} of ${k} carry signal`);
console.log(`  ensemble test identification clips ${ens.identification.clips.value.toFixed(3)}, windows ${ens.identification.windows.value.toFixed(3)} (chance 0.5), r ${ens.r.value.toFixed(3)}, ${test.clipIds.length}-way top-1 ${ens.nWayTop1.value.toFixed(3)} (chance ${ens.nWayTop1.chance.toFixed(3)}); whole cortex clips ${wcm.identification.clips.value.toFixed(3)}, windows ${wcm.identification.windows.value.toFixed(3)}`);

if (himalayaPath) {
  mkdirSync(dataDir, { recursive: true });
  const st = fitStandardizer(train.data, n, V);
  const every = Int32Array.from({ length: V }, (_, v) => v);
  writeNpy(join(dataDir, 'Xtrain.npy'), selectStandardized(train.data, n, V, every, st), [n, V]);
  writeNpy(join(dataDir, 'Xtest.npy'), selectStandardized(test.data, m, V, every, st), [m, V]);
  writeNpy(join(dataDir, 'Ytrain.npy'), Ytrain, [n, T]);
  const foldTests = groupKFold(train.groups, folds).map((f) => [...f.test]);
  writeFileSync(join(dataDir, 'rois.json'), JSON.stringify({ alphas: [...alphas], folds: foldTests, rois: [...rois, cortex].map((r) => ({ label: r.label, voxels: [...r.voxels] })) }));
  const oursAlphas = new Float64Array(members.length * T);
  members.forEach((x, i) => oursAlphas.set(x.fit.bestAlphas, i * T));
  writeNpy(join(dataDir, 'ours_alphas.npy'), oursAlphas, [members.length, T]);
  const script = join(import.meta.dirname, 'himalaya_decode.py');
  const res = spawnSync('/usr/bin/python3', [script, dataDir], { env: { ...process.env, HIMALAYA_PATH: himalayaPath, ...(coretype === 'auto' ? {} : { OPENBLAS_CORETYPE: coretype }) }, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (res.status !== 0) {
    console.log(`himalaya failed (exit ${res.status}): ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    process.exit(1);
  }
  const info = JSON.parse(res.stdout.trim().split('\n').pop() ?? '{}') as { seconds: number[]; cpu: number[]; kinds: string[]; numpy: string; blas: { api: string; version: string; kernel: string; threads: number }[]; coretype: string | null };
  const hScores = readNpy(join(dataDir, 'himalaya_scores.npy')).data as Float64Array;
  const hAlphas = readNpy(join(dataDir, 'himalaya_alphas.npy')).data as Float64Array;
  const hPred = readNpy(join(dataDir, 'himalaya_pred.npy')).data as Float32Array;
  const R = rois.length;
  const sum = (x: number[]) => x.reduce((a, b) => a + b, 0);
  const hRois = { wall: sum(info.seconds.slice(0, R)), cpu: sum(info.cpu.slice(0, R)) };
  const hWc = { wall: info.seconds[R], cpu: info.cpu[R] };
  const h = { wall: hRois.wall + hWc.wall, cpu: hRois.cpu + hWc.cpu };
  const kernelRois = info.kinds.slice(0, R).filter((x) => x === 'KernelRidgeCV').length;
  console.log(`himalaya (numpy ${info.numpy} on ${info.blas.map((b) => `${b.api} ${b.version}, kernel ${b.kernel}, ${b.threads} threads`).join('; ')}; OPENBLAS_CORETYPE=${info.coretype ?? '(unset)'}): ${R} ROI fits (${R - kernelRois} RidgeCV svd, ${kernelRois} KernelRidgeCV) ${hRois.wall.toFixed(1)} s wall (${hRois.cpu.toFixed(1)} s CPU), whole cortex (${info.kinds[R]}) ${hWc.wall.toFixed(1)} s (${hWc.cpu.toFixed(1)} s CPU); together ${h.wall.toFixed(1)} s wall, ${h.cpu.toFixed(1)} s CPU`);

  // ROI ranks: himalaya's CV scores ranked with brain2music's rule (mean over dims, ties to the lower label)
  const hMean = rois.map((_, i) => sum([...hScores.subarray(i * T, (i + 1) * T)]) / T);
  const hOrder = rois.map((_, i) => i).sort((a, b) => hMean[b] - hMean[a] || rois[a].label - rois[b].label);
  const hRank = new Map(hOrder.map((i, r) => [rois[i].label, r + 1]));
  const sameRank = all.ranking.filter((x) => hRank.get(x.label) === x.rank).length;
  const topSame = all.ranking.slice(0, k).every((x) => hRank.get(x.label) === x.rank);
  let scoreDiff = 0;
  for (const [i, r] of rois.entries()) scoreDiff = Math.max(scoreDiff, Math.abs(byLabel.get(r.label)!.cvScore - hMean[i]));
  // alphas and test predictions, every ROI and the whole cortex, against each other and the float64 reference
  const refOurs = readNpy(join(dataDir, 'reference_at_ours.npy')).data as Float32Array;
  const refHimalaya = readNpy(join(dataDir, 'reference_at_himalaya.npy')).data as Float32Array;
  let sameAlpha = 0;
  const worst = { vsHimalaya: 0, vsHimalayaSameAlpha: 0, oursVsRef: 0, himalayaVsRef: 0, scale: 0, oursFit: '', himalayaFit: '' };
  // brain2music vs himalaya where the alphas agree, apart per himalaya estimator (its KernelRidgeCV works in float32)
  const sameAlphaByKind = new Map<string, { fits: number; maxDiff: number }>();
  for (const [i, member] of members.entries()) {
    const p = oursPred[i];
    const same = new Uint8Array(T);
    for (let t = 0; t < T; t++) if (Math.abs(hAlphas[i * T + t] / member.fit.bestAlphas[t] - 1) < 1e-6) { same[t] = 1; sameAlpha++; }
    const kind = sameAlphaByKind.get(info.kinds[i]) ?? { fits: 0, maxDiff: 0 };
    sameAlphaByKind.set(info.kinds[i], kind);
    kind.fits++;
    for (let r = 0; r < m; r++) for (let t = 0; t < T; t++) {
      const j = (i * m + r) * T + t;
      const d = Math.abs(p[r * T + t] - hPred[j]);
      worst.vsHimalaya = Math.max(worst.vsHimalaya, d);
      if (same[t]) {
        worst.vsHimalayaSameAlpha = Math.max(worst.vsHimalayaSameAlpha, d);
        kind.maxDiff = Math.max(kind.maxDiff, d);
      }
      worst.scale = Math.max(worst.scale, Math.abs(refOurs[j]));
      const dOurs = Math.abs(p[r * T + t] - refOurs[j]);
      if (dOurs > worst.oursVsRef) { worst.oursVsRef = dOurs; worst.oursFit = `${member.roi.name}, ${member.fit.solver}, alpha ${member.fit.bestAlphas[t].toPrecision(3)}`; }
      const dH = Math.abs(hPred[j] - refHimalaya[j]);
      if (dH > worst.himalayaVsRef) { worst.himalayaVsRef = dH; worst.himalayaFit = `${member.roi.name}, ${info.kinds[i]}, alpha ${hAlphas[i * T + t].toPrecision(3)}`; }
    }
  }
  const fitsCompared = members.length * T;
  const within = (x: number) => (x <= 1e-4 ? 'within 1e-4' : 'NOT within 1e-4');
  console.log(`  ROI ranks: identical for ${sameRank}/${R} ROIs (top ${k}: ${topSame ? 'identical' : 'DIFFERENT'}), max |Δ CV score| ${scoreDiff.toExponential(2)}`);
  console.log(`  best alphas agree for ${sameAlpha}/${fitsCompared} (fit, dim) pairs (the rest are near-ties of the CV score)`);
  console.log(`  test predictions (${members.length} fits × ${m} rows × ${T} dims, largest |prediction| ${worst.scale.toFixed(3)}), max |Δ|: brain2music vs the float64 reference ${worst.oursVsRef.toExponential(2)} (${within(worst.oursVsRef)}; worst fit ${worst.oursFit}); himalaya vs the float64 reference ${worst.himalayaVsRef.toExponential(2)} (${within(worst.himalayaVsRef)}; worst fit ${worst.himalayaFit}); brain2music vs himalaya ${worst.vsHimalayaSameAlpha.toExponential(2)} where the alphas agree, ${worst.vsHimalaya.toExponential(2)} over all`);
  console.log(`  brain2music vs himalaya where the alphas agree, per himalaya estimator: ${[...sameAlphaByKind].map(([k, v]) => `${k} (${v.fits} fits) max |Δ| ${v.maxDiff.toExponential(2)} (${within(v.maxDiff)})`).join('; ')}`);
  console.log(`brain2music vs himalaya: ${(h.wall / ours.wall).toFixed(2)}x faster wall (ROI fits ${(hRois.wall / oursRois.wall).toFixed(2)}x, whole cortex ${(hWc.wall / oursWc.wall).toFixed(2)}x), ${(h.cpu / ours.cpu).toFixed(2)}x less CPU; brain2music takes ${((100 * ours.wall) / h.wall).toFixed(0)}% of himalaya's time`);
} else {
  console.log('himalaya comparison skipped (--no-himalaya, or pass --himalaya DIR: a gallantlab/himalaya checkout)');
}

if (args.includes('--end-to-end')) {
  t0 = performance.now();
  const res = await decodeSubject(resp, emb, { wholeCortex: true, alphas });
  const mm = res.reports.main.test;
  console.log(`decodeSubject end to end (ROI ensemble + whole cortex, with out-of-fold training predictions and every score): ${seconds(t0).toFixed(1)} s; test identification clips ${mm.identification.clips.value.toFixed(3)}, windows ${mm.identification.windows.value.toFixed(3)}`);
}
console.log(`peak RSS of this process: ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GiB`);
