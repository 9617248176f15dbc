// Cross-subject decoding at the real dataset's scale: 5 synthetic subjects with ds003720's voxel
// counts (60,784, 53,927, 64,700, 61,899, 53,421), 480 training clips in 12 runs of 40, 60 test clips
// × 4 repetitions, 4 windows × 128 dims, who "heard" the same clips: a 32-d latent per clip window
// drives 10 % of each subject's voxels through that subject's own random weights (SNR about 0.1),
// and the embedding is the latent through a fixed 32 → 128 map plus noise. Run as the decode job
// runs it: each subject is generated (its 1.8 GB of responses), reduced to its encoding:3000 voxels
// (`alignmentSubject`: one encoding model over all its voxels) and dropped before the next, then
// `decodeAligned` (ridge onto sub-001, ridge onto each subject in turn, then SRM with 50 dimensions)
// fits the maps and the pooled decoder(s).
// Baseline measured in the same run: one within-subject ridge decoder on the reference's 3,000
// selected voxels (what decodeSubject's final fit costs); the ratios say what pooling costs on top.
// Peak memory: the process's resident set high-water mark (VmHWM), read after each phase.
// Usage: npm run bench:align [-- --voxels 60784,53927,64700,61899,53421] [--select 3000] [--methods ridge,ridge-each,srm] [--clips 480]
import { readFileSync } from 'node:fs';
import { alignmentSubject, decodeAligned, fitRoiEnsemble, parseDecoderChoice, type AlignmentSubject, type DecodableResponses } from '../src/decode/index.ts';
import { rowsFor, type ClipWindows } from '../src/embed/index.ts';
import { createRng } from '../src/linalg/index.ts';

const args = process.argv.slice(2);
const arg = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : def;
};
const voxelCounts = arg('--voxels', '60784,53927,64700,61899,53421').split(',').map(Number);
const select = Number(arg('--select', '3000'));
const methods = arg('--methods', 'ridge,ridge-each,srm').split(',') as ('ridge' | 'ridge-each' | 'srm')[];
const trainClips = Number(arg('--clips', '480'));
const runs = trainClips / 40;
const genres = 10;
const testClips = 60;
const reps = 4;
const S = 10; // scans per clip
const W = 4;
const WINDOW_STARTS = [0, 1.5, 3, 4.5];
const LAG = 3;
const D = 32; // latent dims
const T = 128; // embedding dims

const gib = (b: number) => (b / 2 ** 30).toFixed(2);
/** Resident-set high-water mark of this process in bytes (Linux). */
function peakRss(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : process.memoryUsage().rss;
}

// --- shared stimuli: clip ids, a latent per clip scan, the embedding of each window
const rng = createRng(1);
const clipIds = {
  train: Array.from({ length: trainClips }, (_, i) => `g${i % genres}.${String(Math.floor(i / genres)).padStart(5, '0')}`),
  test: Array.from({ length: testClips }, (_, i) => `g${i % genres}.${String(100 + Math.floor(i / genres)).padStart(5, '0')}`),
};
const all = [...clipIds.train, ...clipIds.test];
const genreOffset = Array.from({ length: genres }, () => Float64Array.from({ length: D }, () => 0.7 * rng.normal()));
const latent = new Map<string, Float32Array>(); // S × D per clip
for (const id of all) {
  const g = genreOffset[Number(id.slice(1, id.indexOf('.')))]!;
  const base = Float64Array.from({ length: D }, (_, d) => g[d]! + rng.normal());
  latent.set(id, Float32Array.from({ length: S * D }, (_, k) => base[k % D]! + 0.4 * rng.normal()));
}
const proj = Float64Array.from({ length: D * T }, () => rng.normal() / Math.sqrt(D));
const embData = new Float32Array(all.length * W * T);
all.forEach((id, c) => {
  const lat = latent.get(id)!;
  for (let w = 0; w < W; w++) for (let t = 0; t < T; t++) {
    let s = 0;
    for (let k = w; k < w + 7; k++) for (let d = 0; d < D; d++) s += lat[k * D + d]! * proj[d * T + t]!;
    embData[(c * W + w) * T + t] = s / 7 + rng.normal();
  }
});
const emb: ClipWindows = { data: embData, clipIds: all, nWindows: W, dim: T, windowStarts: WINDOW_STARTS, windowSec: 10, name: 'synthetic' };

/** One subject's responses: 12 training runs of 40 clips (+ lag tail), 4 test runs of the 60 test clips, z-scored noise plus signal in 10 % of voxels. */
function subjectResponses(index: number, V: number): DecodableResponses {
  const r = createRng(1000 + index);
  const informative = Int32Array.from({ length: Math.round(0.1 * V) }, (_, i) => Math.floor((i * V) / Math.round(0.1 * V)));
  const weights = Float32Array.from({ length: informative.length * D }, () => (0.25 * r.normal()) / Math.sqrt(D));
  const runsOut: DecodableResponses['runs'][number][] = [];
  const presentations: DecodableResponses['presentations'][number][] = [];
  const makeRun = (task: 'Training' | 'Test', run: number, ids: string[], rep: number) => {
    const nScans = ids.length * S + LAG;
    const data = new Float32Array(nScans * V);
    for (let k = 0; k < data.length; k++) data[k] = r.normal();
    ids.forEach((id, c) => {
      presentations.push({ clipId: id, task, run, firstScan: c * S, repetition: rep });
      const lat = latent.get(id)!;
      for (let s = 0; s < S; s++) {
        const row = (c * S + LAG + s) * V;
        for (let i = 0; i < informative.length; i++) {
          let x = 0;
          for (let d = 0; d < D; d++) x += weights[i * D + d]! * lat[s * D + d]!;
          data[row + informative[i]!] += x;
        }
      }
    });
    runsOut.push({ task, run, nScans, data });
  };
  for (let k = 0; k < runs; k++) makeRun('Training', k + 1, clipIds.train.slice(k * 40, (k + 1) * 40), 0);
  for (let rep = 0; rep < reps; rep++) makeRun('Test', rep + 1, clipIds.test, rep);
  return { tr: 1.5, nVoxels: V, runs: runsOut, presentations, atlas: { labels: new Int32Array(0), names: new Map() } };
}

const choice = parseDecoderChoice(`encoding:${select}`);
const lap = (t0: number) => (performance.now() - t0) / 1000;
console.log(`align bench: ${voxelCounts.length} subjects (${voxelCounts.join(', ')} voxels), ${trainClips} training clips in ${runs} runs, ${testClips} test clips × ${reps}, ${W} windows × ${T} dims, encoding:${select}`);
const prepared: AlignmentSubject[] = [];
let tGen = 0;
let tPrep = 0;
for (const [i, V] of voxelCounts.entries()) {
  let t0 = performance.now();
  const resp = subjectResponses(i, V);
  tGen += lap(t0);
  t0 = performance.now();
  prepared.push(await alignmentSubject(`sub-00${i + 1}`, resp, emb, { decoder: choice }));
  const dt = lap(t0);
  tPrep += dt;
  console.log(`  sub-00${i + 1}: ${V} voxels, responses ${gib(resp.runs.reduce((s, x) => s + x.data.byteLength, 0))} GiB, reduced to ${select} voxels in ${dt.toFixed(1)} s; peak RSS so far ${gib(peakRss())} GiB`);
}
console.log(`generate ${tGen.toFixed(1)} s; prepare (windows, scans, encoding model, selection) ${tPrep.toFixed(1)} s (${(tPrep / voxelCounts.length).toFixed(1)} s per subject); peak RSS ${gib(peakRss())} GiB`);

// baseline: one within-subject ridge decoder on the reference's selected voxels (the final fit of decodeSubject)
const ref = prepared[0]!;
let t0 = performance.now();
const base = await fitRoiEnsemble(
  { X: ref.train.data, nVoxels: ref.train.nVoxels, Y: rowsFor(emb, ref.train.clipIds), nTargets: T, groups: ref.train.groups },
  [{ label: -3, name: 'selection', voxels: Int32Array.from({ length: ref.train.nVoxels }, (_, j) => j) }],
  { k: 1 },
);
const tBase = lap(t0);
console.log(`baseline: within-subject ridge decoder on ${ref.train.nVoxels} voxels × ${ref.train.groups.length} rows: ${tBase.toFixed(1)} s (CV r ${base.members[0]!.cvScore.toFixed(3)})`);

for (const method of methods) {
  t0 = performance.now();
  const marks: string[] = [];
  const res = await decodeAligned(prepared, emb, {
    method: method === 'srm' ? 'srm' : 'ridge', reference: method === 'ridge-each' ? 'each' : 'sub-001', targets: prepared.map((p) => p.subject), srmDims: 50,
    onProgress: (task, done, total) => { if (done === total) marks.push(`${task} done at ${lap(t0).toFixed(1)} s`); },
  });
  const t = lap(t0);
  console.log(`${method}: maps + pooled decoder${method === 'ridge-each' ? 's, one per subject' : ''} (${res[0]!.trainingRows} rows × ${res[0]!.nColumns} columns) + scoring 5 subjects: ${t.toFixed(1)} s, ratio to the baseline ${(t / tBase).toFixed(1)}; peak RSS ${gib(peakRss())} GiB`);
  for (const m of marks) console.log(`  ${m}`);
  console.log(`  test identification (clips, chance 0.5): ${res.map((r) => `${r.subject} ${r.report.test.identification.clips.value.toFixed(3)}`).join(', ')}`);
}
console.log(`peak RSS of the whole run: ${gib(peakRss())} GiB (load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')})`);
