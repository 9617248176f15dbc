// `npm run bench:simulate [-- --preset demo|paper] [--out DIR] [--library N]`: times the simulator and
// checks what it promises at full size.
// 1. Rendering throughput: 1 worker (baseline) vs all cores on the same clips → parallel speed-up.
// 2. The preset's dataset (wall and CPU seconds), then its library, and the disk size of each.
// 3. Genre in the audio: cross-validated linear classifier on plain audio features of all stimuli.
// 4. Ground truth: ridge on the true design → mean test r in auditory / higher / other ROIs.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResponses, openDataset } from '../src/bids/index.ts';
import { atRate } from '../src/dsp/index.ts';
import { readAudio, readNpy } from '../src/io/index.ts';
import { matrix, pearsonColumns, createRng } from '../src/linalg/index.ts';
import { fitRidgeCV, predictRidge } from '../src/ridge/index.ts';
import { clipAudioSummary, genreSeparability, renderClips, sampleArrangement, GENRES } from '../src/music/index.ts';
import { DEFAULT_LIBRARY, PRESETS, simulateDataset, simulateLibrary, type PresetName } from '../src/simulate/index.ts';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const preset = (arg('--preset') ?? 'demo') as PresetName;
const out = arg('--out') ?? mkdtempSync(join(tmpdir(), `b2m-bench-${preset}-`));
const librarySize = Number(arg('--library') ?? DEFAULT_LIBRARY[preset]);
const cores = availableParallelism();

function du(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((s, n) => s + du(join(path, n)), 0);
}
const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

console.log(`simulate bench: preset ${preset}, out ${out}, ${cores} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);

// 1. throughput
{
  const dir = mkdtempSync(join(tmpdir(), 'b2m-bench-render-'));
  const clips = Array.from({ length: 6 * cores }, (_, i) => sampleArrangement(GENRES[i % 10], createRng(1000 + i)));
  const jobs = (tag: string) => clips.map((a, i) => ({ path: join(dir, `${tag}-${i}.wav`), arrangement: a }));
  let t = performance.now();
  await renderClips(jobs('one'), { sampleRate: 22050, featureSegmentSec: 0, workers: 1 });
  const one = (performance.now() - t) / 1000;
  t = performance.now();
  await renderClips(jobs('all'), { sampleRate: 22050, featureSegmentSec: 0, workers: cores });
  const all = (performance.now() - t) / 1000;
  const audioSec = clips.length * 15;
  console.log(`render ${clips.length} × 15 s: 1 worker ${one.toFixed(1)} s (${(audioSec / one).toFixed(0)}× real time, baseline), ${cores} workers ${all.toFixed(1)} s (${(audioSec / all).toFixed(0)}× real time); speed-up ${(one / all).toFixed(2)}×`);
  rmSync(dir, { recursive: true, force: true });
}

// 2. dataset and library
const c0 = cpu();
let t0 = performance.now();
const summary = await simulateDataset(out, PRESETS[preset], {});
const dataWall = (performance.now() - t0) / 1000;
const dataCpu = cpu() - c0;
const dataBytes = du(out);
console.log(`dataset: ${dataWall.toFixed(1)} s wall (stimuli ${summary.seconds.render.toFixed(1)} s, brain ${summary.seconds.brain.toFixed(1)} s), ${dataCpu.toFixed(1)} s CPU in this process and its render threads; ${mb(dataBytes)} on disk; voxels ${summary.subjects.map((s) => s.voxels).join(', ')}`);
for (const sub of ['stimuli', 'derivative', 'derivatives', summary.subjects[0].id]) console.log(`  ${sub}: ${mb(du(join(out, sub)))}`);
if (librarySize > 0) {
  const c1 = cpu();
  t0 = performance.now();
  const lib = await simulateLibrary(join(out, 'library'), { size: librarySize, seed: PRESETS[preset].seed });
  console.log(`library: ${lib.clips} clips in ${((performance.now() - t0) / 1000).toFixed(1)} s wall, ${(cpu() - c1).toFixed(1)} s CPU; ${mb(du(join(out, 'library')))} on disk`);
}

// 3. genre in the audio
{
  const dir = join(out, 'stimuli');
  const files = readdirSync(dir).filter((f) => f.endsWith('.wav')).sort();
  const order = files.map((f, i) => ({ f, k: (i * 7919) % files.length })).sort((a, b) => a.k - b.k).map((x) => x.f);
  const feats: Float64Array[] = [];
  const labels: string[] = [];
  for (const f of order) {
    feats.push(clipAudioSummary(atRate(await readAudio(join(dir, f)), 22050), 22050));
    labels.push(f.split('.')[0]);
  }
  const acc = genreSeparability(feats, labels, { alpha: 10, folds: 10 });
  console.log(`genre from audio: 10-fold accuracy ${acc.toFixed(3)} on ${labels.length} stimuli (chance ${(1 / new Set(labels).size).toFixed(3)}); ratio to chance ${(acc * new Set(labels).size).toFixed(1)}×`);
}

// 4. ground truth recovery (subject 1)
{
  const sub = summary.subjects[0].id;
  const ds = openDataset(out);
  const resp = await loadResponses(ds, sub, { source: 'derivative' });
  const V = resp.nVoxels;
  const truth = JSON.parse(readFileSync(join(out, 'derivatives', 'ground_truth', sub, `${sub}_truth.json`), 'utf8')) as {
    features: string[]; informativeRois: { acoustic: { index: number }[]; musical: { index: number }[] };
  };
  const gt = JSON.parse(readFileSync(join(out, 'derivatives', 'ground_truth', 'truth.json'), 'utf8')) as { designFiles: string[]; scansPerClip: number };
  const F = truth.features.length;
  const spc = gt.scansPerClip;
  const stackDesign = (task: string) => {
    const parts = gt.designFiles.filter((f) => f.includes(`task-${task}_`)).map((f) => readNpy(join(out, 'derivatives', 'ground_truth', f)).data as Float32Array);
    const rows = parts.reduce((s, p) => s + p.length / F - spc, 0);
    const m = new Float32Array(rows * F);
    let o = 0;
    for (const p of parts) { m.set(p.subarray(spc * F), o); o += p.length - spc * F; }
    return matrix(rows, F, m);
  };
  const stackResp = (task: string) => {
    const runs = resp.runs.filter((r) => r.task === task);
    const rows = runs.reduce((s, r) => s + r.nScans, 0);
    const m = new Float32Array(rows * V);
    let o = 0;
    for (const r of runs) { m.set(r.data, o); o += r.data.length; }
    return matrix(rows, V, m);
  };
  const fit = await fitRidgeCV(stackDesign('Training'), stackResp('Training'), { folds: 5 });
  const r = pearsonColumns(await predictRidge(fit, stackDesign('Test')), stackResp('Test'));
  const aud = new Set(truth.informativeRois.acoustic.map((x) => x.index));
  const hi = new Set(truth.informativeRois.musical.map((x) => x.index));
  const mean = (pred: (l: number) => boolean) => {
    let s = 0;
    let n = 0;
    for (let v = 0; v < V; v++) if (pred(resp.atlas.labels[v])) { s += r[v]; n++; }
    return s / n;
  };
  const noise = mean((l) => !aud.has(l) && !hi.has(l));
  console.log(`ground truth (${sub}, single-trial test r of ridge on the true design): auditory ROIs ${mean((l) => aud.has(l)).toFixed(3)}, higher ROIs ${mean((l) => hi.has(l)).toFixed(3)}, other ROIs ${noise.toFixed(3)}`);
}
if (!arg('--out')) rmSync(out, { recursive: true, force: true });
