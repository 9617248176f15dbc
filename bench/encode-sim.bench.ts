// Encoding on the simulated dataset, scored against its ground truth: which ROIs the simulator made
// informative for which feature kind (acoustic features → auditory ROIs, musical features → higher
// ROIs) and which voxels carry signal at all (snr > 0).
//   node --import tsx bench/encode-sim.bench.ts [DATASET] [PRESET] [SUBJECTS] [NPERM]
// DATASET: a simulated dataset folder (default /tmp/b2m-encode-sim-<PRESET>, simulated there once);
// PRESET: demo (default) or paper; SUBJECTS: how many subjects to simulate and fit (default all); NPERM: block
// shuffles (default 10,000, the pipeline's). Feature
// spaces: the simulator's own stimulus features (acoustic: one vector per scan; musical: one per
// clip), the genre one-hot control, the builtin embedding of the stimuli (10 s windows every
// 1.5 s, embedded once into DATASET/builtin.npy) and a pure-noise space of the builtin's shape.
// Each space is fitted once with the default block null (p beyond every shuffle from the Pareto
// tail), which gives three nulls: the paper's Gaussian null (from r and the test length), the
// block null's counted p (floor 1/(1 + NPERM)) and its p with the tail. Per subject, space
// and null: significant voxels, the share of them in the ROIs informative for that kind, the
// false-discovery proportion in ROIs informative for nothing (ROI level) and among voxels without
// signal (voxel level), and the recall of the informative voxels of its ROIs.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadResponses, openDataset } from '../src/bids/index.ts';
import { createBuiltinEmbedder, embedClips } from '../src/embed/index.ts';
import { encodeSubject, genreOneHot, readFeatureSpace, type EncodingMaps } from '../src/encode/index.ts';
import { readAudio, readNpy } from '../src/io/index.ts';
import { atRate } from '../src/dsp/index.ts';
import { createRng } from '../src/linalg/index.ts';
import { PRESETS, simulateDataset, simulatedFeatureSpaces, type PresetName } from '../src/simulate/index.ts';
import { fdrBh, gaussianNullP } from '../src/stats/index.ts';

const preset = (process.argv[3] ?? 'demo') as PresetName;
if (!(preset in PRESETS)) throw new Error(`preset ${preset} is not one of ${Object.keys(PRESETS).join(', ')}`);
const root = process.argv[2] ?? `/tmp/b2m-encode-sim-${preset}`;
const nSubjects = Math.min(PRESETS[preset].subjects, Number(process.argv[4] ?? PRESETS[preset].subjects));
if (!existsSync(join(root, 'derivatives', 'ground_truth', 'truth.json'))) {
  console.log(`simulating the ${preset} preset (${nSubjects} subjects) into ${root} …`);
  await simulateDataset(root, { ...PRESETS[preset], raw: false, subjects: nSubjects }, {});
}
const ds = openDataset(root);
const { acoustic, musical } = simulatedFeatureSpaces(root);
const genre = genreOneHot(ds.clips.map((c) => ({ id: c.id, genre: c.genre })));
const builtinPath = join(root, 'builtin.npy');
if (!existsSync(builtinPath)) {
  const t0 = performance.now();
  await embedClips({
    embedder: createBuiltinEmbedder(), out: builtinPath, clipSec: 15, windowSec: 10, hopSec: 1.5, needsAudio: true,
    clips: ds.clips.map((c) => ({ id: c.id, load: async (rate: number) => atRate(await readAudio(join(root, 'stimuli', `${c.id}.wav`)), rate) })),
  });
  console.log(`builtin embedding of ${ds.clips.length} stimuli: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const builtin = readFeatureSpace(builtinPath, 'builtin');
const rng = createRng(99);
const noise = { ...builtin, name: 'noise', data: Float32Array.from(builtin.data, () => rng.normal()) };
console.log(`${root}: ${ds.subjects.length} subjects, ${ds.clips.length} clips; spaces acoustic (${acoustic.dim}-d per scan), musical (${musical.dim}-d per clip), genre (${genre.dim}-d), builtin and noise (${builtin.nWindows} windows × ${builtin.dim}-d)`);

const pct = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '–');
const subjects = ds.subjects.slice(0, nSubjects);
const nPerm = Number(process.argv[5] ?? 10_000);
const nulls = (m: EncodingMaps): [string, ArrayLike<number>][] => [['gaussian', gaussianNullP(m.r, m.nTest)], ['floor', m.pEmpirical!], ['tail', m.p]];
const rows: string[] = [];
for (const sub of subjects) {
  const gtDir = join(root, 'derivatives', 'ground_truth', sub);
  const gt = JSON.parse(readFileSync(join(gtDir, `${sub}_truth.json`), 'utf8')) as { informativeRois: { acoustic: { index: number }[]; musical: { index: number }[] } };
  const snr = readNpy(join(gtDir, `${sub}_desc-snr_voxels.npy`)).data as Float32Array;
  const resp = await loadResponses(ds, sub);
  const acRois = new Set(gt.informativeRois.acoustic.map((r) => r.index));
  const muRois = new Set(gt.informativeRois.musical.map((r) => r.index));
  const either = new Set([...acRois, ...muRois]);
  const kindRois: Record<string, Set<number>> = { acoustic: acRois, musical: muRois, genre: either, builtin: either, noise: either };
  const informativeVoxels = (rois: Set<number>) => { let n = 0; for (let v = 0; v < resp.nVoxels; v++) if (snr[v]! > 0 && rois.has(resp.atlas.labels[v]!)) n++; return n; };
  console.log(`\n${sub}: ${resp.nVoxels} voxels (${informativeVoxels(acRois)} with acoustic signal, ${informativeVoxels(muRois)} with musical signal)`);
  const t0 = performance.now();
  const enc = await encodeSubject(resp, [
    { name: 'acoustic', spaces: [acoustic] }, { name: 'musical', spaces: [musical] }, { name: 'genre', spaces: [genre] },
    { name: 'builtin', spaces: [builtin] }, { name: 'noise', spaces: [noise] },
  ], { seed: 1, nPerm });
  console.log(`(${((performance.now() - t0) / 1000).toFixed(1)} s for the five spaces)`);
  for (const m of enc.models) {
    for (const [nullName, p] of nulls(m)) {
      const q = fdrBh(p);
      const own = kindRois[m.name]!;
      let sig = 0, inOwn = 0, inNoiseRoi = 0, noSignal = 0, recalled = 0;
      for (let v = 0; v < resp.nVoxels; v++) {
        if (!(q[v]! <= m.fdrAlpha && m.r[v]! > 0)) continue;
        const l = resp.atlas.labels[v]!;
        sig++;
        if (own.has(l)) inOwn++;
        if (!either.has(l)) inNoiseRoi++;
        if (!(snr[v]! > 0)) noSignal++;
        if (snr[v]! > 0 && own.has(l)) recalled++;
      }
      rows.push(`| ${sub} | ${m.name} | ${nullName} | ${sig} | ${pct(inOwn, sig)} | ${pct(inNoiseRoi, sig)} | ${pct(noSignal, sig)} | ${pct(recalled, informativeVoxels(own))} |`);
    }
  }
}
console.log([`\n${nPerm} block shuffles`, '| subject | space | null | significant | in its ROIs | FDP (noise ROIs) | FDP (voxels without signal) | recall |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n'));
