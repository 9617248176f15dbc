// Encoding on the simulated dataset, scored against its ground truth: which ROIs the simulator made
// informative for which feature kind (acoustic features → auditory ROIs, musical features → higher
// ROIs) and which voxels carry signal at all (snr > 0).
//   node --import tsx bench/encode-sim.bench.ts [DATASET]
// DATASET: a simulated dataset folder (default: the demo preset, simulated once into
// /tmp/b2m-encode-sim-demo). Feature spaces: the simulator's own stimulus features (acoustic: one
// vector per scan of a clip; musical: one per clip) and the genre one-hot control. Per subject and
// space, for the Gaussian and the block null: significant voxels, the share of them in the ROIs
// informative for that kind, the false-discovery proportion in ROIs informative for nothing
// (ROI level) and among voxels without signal (voxel level), and the recall of informative voxels.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadResponses, openDataset } from '../src/bids/index.ts';
import { encodeSubject, genreOneHot, type EncodingMaps } from '../src/encode/index.ts';
import { readNpy } from '../src/io/index.ts';
import { PRESETS, simulateDataset, simulatedFeatureSpaces } from '../src/simulate/index.ts';

const root = process.argv[2] ?? '/tmp/b2m-encode-sim-demo';
if (!existsSync(join(root, 'derivatives', 'ground_truth', 'truth.json'))) {
  console.log(`simulating the demo preset into ${root} …`);
  await simulateDataset(root, PRESETS.demo, {});
}
const ds = openDataset(root);
const truth = JSON.parse(readFileSync(join(root, 'derivatives', 'ground_truth', 'truth.json'), 'utf8')) as { scansPerClip: number };
const { acoustic, musical } = simulatedFeatureSpaces(root);
const spc = truth.scansPerClip;
const genre = genreOneHot(ds.clips.map((c) => ({ id: c.id, genre: c.genre })));
console.log(`${root}: ${ds.subjects.length} subjects, ${ds.clips.length} clips, ${spc} scans per clip; spaces acoustic (${acoustic.dim}-d per scan), musical (${musical.dim}-d per clip), genre (${genre.dim}-d)`);

const pct = (a: number, b: number) => (b > 0 ? `${((100 * a) / b).toFixed(1)}%` : '–');
for (const sub of ds.subjects) {
  const gtPath = join(root, 'derivatives', 'ground_truth', sub, `${sub}_truth.json`);
  if (!existsSync(gtPath)) { console.log(`${sub}: no ground truth (${gtPath}), skipped`); continue; }
  const gt = JSON.parse(readFileSync(gtPath, 'utf8')) as { informativeRois: { acoustic: { index: number }[]; musical: { index: number }[] } };
  const snr = readNpy(join(root, 'derivatives', 'ground_truth', sub, `${sub}_desc-snr_voxels.npy`)).data as Float32Array;
  const resp = await loadResponses(ds, sub);
  const acRois = new Set(gt.informativeRois.acoustic.map((r) => r.index));
  const muRois = new Set(gt.informativeRois.musical.map((r) => r.index));
  const kindRois: Record<string, Set<number>> = { acoustic: acRois, musical: muRois, genre: new Set([...acRois, ...muRois]) };
  const informativeVoxels = (rois: Set<number>) => { let n = 0; for (let v = 0; v < resp.nVoxels; v++) if (snr[v]! > 0 && rois.has(resp.atlas.labels[v]!)) n++; return n; };
  console.log(`\n${sub}: ${resp.nVoxels} voxels (${informativeVoxels(acRois)} with acoustic signal, ${informativeVoxels(muRois)} with musical signal)`);
  console.log('null      space      significant  in its ROIs  FDP (noise ROIs)  FDP (voxels without signal)  recall');
  for (const nullKind of ['gaussian', 'block'] as const) {
    const t0 = performance.now();
    const enc = await encodeSubject(resp, [{ name: 'acoustic', spaces: [acoustic] }, { name: 'musical', spaces: [musical] }, { name: 'genre', spaces: [genre] }], { nullKind, seed: 1 });
    for (const m of enc.models as EncodingMaps[]) {
      const own = kindRois[m.name]!;
      let sig = 0, inOwn = 0, inNoiseRoi = 0, noSignal = 0, recalled = 0;
      for (let v = 0; v < resp.nVoxels; v++) {
        const l = resp.atlas.labels[v]!;
        if (m.significant[v]) {
          sig++;
          if (own.has(l)) inOwn++;
          if (!acRois.has(l) && !muRois.has(l)) inNoiseRoi++;
          if (!(snr[v]! > 0)) noSignal++;
          if (snr[v]! > 0 && own.has(l)) recalled++;
        }
      }
      console.log(`${nullKind.padEnd(9)} ${m.name.padEnd(10)} ${String(sig).padStart(11)}  ${pct(inOwn, sig).padStart(11)}  ${pct(inNoiseRoi, sig).padStart(16)}  ${pct(noSignal, sig).padStart(27)}  ${pct(recalled, informativeVoxels(own)).padStart(6)}`);
    }
    console.log(`          (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  }
}
