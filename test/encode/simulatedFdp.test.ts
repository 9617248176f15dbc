import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadResponses, openDataset } from '../../src/bids/index.ts';
import { encodeSubject, genreOneHot, type EncodingMaps, type EncodingModelSpec, type EncodingNull } from '../../src/encode/index.ts';
import { GENRES } from '../../src/music/index.ts';
import { PRESETS, simulateDataset, simulatedFeatureSpaces, type SimulatedFeatureSpaces, type SimulationConfig } from '../../src/simulate/index.ts';

// Encoding on a dataset written by the simulator, scored against its ground truth (issue 7).
// ds003720's structure in miniature: 15 s clips, 4 training + 2 test clips per genre (1 training
// run; 2 test runs), about 2000 voxels at 4 mm, default SNR, the default block null (10,000 clip
// block shuffles, scored on the scans from the largest FIR delay on). The 20 test clips are the
// null's blocks (with 8, as in the pipeline test, it cannot reach FDR significance). All 10
// genres, so that a test run plays 10 distinct clips as in ds003720. One brain's FDP varies a lot
// (0 to 0.17 here: its noise ROIs share 4 slow physiological noise sources, so their p-values move
// together), so FDR is measured as the mean over 16 brains: the simulator's subjects, independent
// draws of anatomy, atlas, ground truth and noise on the same stimuli (one rendering of 60 clips
// for all; a full seed per brain would render them again each time). The seed and the number of
// brains were fixed before the measurement, not chosen by it.
const BRAINS = 16;
/** Brains also fitted with the paper's Gaussian null, for the comparison. */
const GAUSSIAN_BRAINS = 3;
const CONFIG: SimulationConfig = {
  ...PRESETS.demo, genres: [...GENRES], trainPerGenre: 4, testPerGenre: 2, voxelMm: 4, targetVoxels: 2000, subjects: BRAINS, raw: false, seed: 1,
};
const KINDS = ['acoustic', 'musical', 'genre'] as const;
type Kind = (typeof KINDS)[number];

/** Significant voxels of one fit, located against the ground truth. */
interface Located {
  subject: string;
  kind: Kind;
  nullKind: EncodingNull;
  significant: number;
  /** In the ROIs the truth made informative for this kind (genre: either kind). */
  inOwnRois: number;
  /** In ROIs the truth made informative for nothing. */
  inNoiseRois: number;
  /** Cortical voxels, and those in the ROIs informative for this kind. */
  voxels: number;
  ownRoiVoxels: number;
}

let root = '';
let spaces: SimulatedFeatureSpaces;
const fits: Located[] = [];
const seconds: Record<string, number> = {};

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'b2m-encode-sim-'));
  let t0 = performance.now();
  await simulateDataset(root, CONFIG);
  seconds.simulate = (performance.now() - t0) / 1000;
  const ds = openDataset(root);
  spaces = simulatedFeatureSpaces(root);
  const { acoustic, musical } = spaces;
  const models: EncodingModelSpec[] = [
    { name: 'acoustic', spaces: [acoustic] },
    { name: 'musical', spaces: [musical] },
    { name: 'genre', spaces: [genreOneHot(ds.clips.map((c) => ({ id: c.id, genre: c.genre })))] },
  ];
  t0 = performance.now();
  for (const subject of ds.subjects) {
    const truth = JSON.parse(readFileSync(join(root, 'derivatives', 'ground_truth', subject, `${subject}_truth.json`), 'utf8')) as { informativeRois: Record<'acoustic' | 'musical', { index: number }[]> };
    const acRois = new Set(truth.informativeRois.acoustic.map((r) => r.index));
    const muRois = new Set(truth.informativeRois.musical.map((r) => r.index));
    const own: Record<Kind, Set<number>> = { acoustic: acRois, musical: muRois, genre: new Set([...acRois, ...muRois]) };
    const resp = await loadResponses(ds, subject);
    for (const nullKind of ds.subjects.indexOf(subject) < GAUSSIAN_BRAINS ? ['block', 'gaussian'] as const : ['block'] as const) {
      // 'block' is encodeSubject's default; it is passed only to loop over both.
      const enc = await encodeSubject(resp, models, { nullKind });
      for (const m of enc.models as EncodingMaps[]) {
        const kind = m.name as Kind;
        const f: Located = { subject, kind, nullKind, significant: 0, inOwnRois: 0, inNoiseRois: 0, voxels: resp.nVoxels, ownRoiVoxels: 0 };
        for (let v = 0; v < resp.nVoxels; v++) {
          const l = resp.atlas.labels[v]!;
          if (own[kind].has(l)) f.ownRoiVoxels++;
          if (!m.significant[v]) continue;
          f.significant++;
          if (own[kind].has(l)) f.inOwnRois++;
          if (!acRois.has(l) && !muRois.has(l)) f.inNoiseRois++;
        }
        fits.push(f);
      }
    }
  }
  seconds.encode = (performance.now() - t0) / 1000;
  console.log(`simulate ${seconds.simulate.toFixed(1)} s, encode ${seconds.encode.toFixed(1)} s`);
  for (const f of fits) console.log(`${f.subject} ${f.nullKind.padEnd(8)} ${f.kind.padEnd(8)} significant ${String(f.significant).padStart(4)}, in its ROIs ${share(f.inOwnRois, f.significant)}, FDP (noise ROIs) ${share(f.inNoiseRois, f.significant)}`);
});
after(() => rmSync(root, { recursive: true, force: true }));

const fdp = (f: Located) => f.inNoiseRois / Math.max(1, f.significant);
const share = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : '–');
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const blockFits = () => fits.filter((f) => f.nullKind === 'block');

test('simulatedFeatureSpaces(root) reads the acoustic features of every scan and the musical features of every clip', () => {
  const { acoustic, musical } = spaces;
  assert.equal(acoustic.clipIds.length, 60);
  assert.deepEqual(musical.clipIds, acoustic.clipIds);
  assert.deepEqual([acoustic.nWindows, acoustic.dim, acoustic.windowSec], [10, 9, 1.5]);
  assert.deepEqual(acoustic.windowStarts, [0, 1.5, 3, 4.5, 6, 7.5, 9, 10.5, 12, 13.5]);
  assert.deepEqual([musical.nWindows, musical.windowSec], [1, 0]);
  assert.equal(musical.data.length, 60 * musical.dim);
  assert.ok(acoustic.data.some((x) => x !== 0) && musical.data.some((x) => x !== 0));
});

test('encodeSubject(simulated dataset, block null) puts the significant voxels in the ROIs the ground truth made informative for each feature kind', () => {
  for (const kind of KINDS) {
    const fs = blockFits().filter((f) => f.kind === kind);
    console.log(`${kind}: significant ${fs.map((f) => f.significant).join(', ')}; share in its ROIs ${fs.map((f) => share(f.inOwnRois, f.significant)).join(', ')} (those ROIs hold ${fs.map((f) => share(f.ownRoiVoxels, f.voxels)).join(', ')} of the cortex)`);
  }
  for (const f of blockFits()) {
    const at = `${f.subject} ${f.kind}`;
    assert.ok(f.significant >= 10, `${at}: ${f.significant} significant voxels`); // measured at least 18 (genre), 42 (musical), 83 (acoustic)
    // Musical features spill into auditory ROIs: they correlate with the acoustic ones through genre
    // (measured 0.70-0.98 in its ROIs, against 0.86-1.00 for the other kinds).
    const least = f.kind === 'musical' ? 0.6 : 0.8;
    assert.ok(f.inOwnRois / f.significant >= least, `${at}: ${f.inOwnRois} of ${f.significant} in its ROIs`);
    assert.ok(f.inOwnRois / f.significant >= 4 * (f.ownRoiVoxels / f.voxels), `${at}: no concentration beyond those ROIs' share of the cortex`);
  }
});

test('encodeSubject(simulated dataset, block null) keeps the mean false-discovery proportion in noise ROIs at or below 5% over brains', () => {
  const all = blockFits().map(fdp);
  for (const kind of KINDS) console.log(`${kind}: FDP (noise ROIs) per brain ${blockFits().filter((f) => f.kind === kind).map((f) => fdp(f).toFixed(3)).join(', ')}`);
  const m = mean(all);
  const perBrain = Array.from({ length: BRAINS }, (_, b) => mean(all.slice(b * KINDS.length, (b + 1) * KINDS.length)));
  const se = Math.sqrt(perBrain.reduce((a, x) => a + (x - m) ** 2, 0) / (BRAINS - 1) / BRAINS);
  console.log(`mean FDP over ${all.length} fits (${BRAINS} brains × ${KINDS.length} spaces): ${m.toFixed(4)} (standard error over brains ${se.toFixed(4)})`);
  // With exact p-values, BH's expected FDP in noise ROIs is 0.05 × their share of the cortex
  // (about 0.87) ≈ 0.044. Measured 0.048 here; over 30 brains of another seed, 0.043 (0.053 when the
  // null also shuffled the clips' first scans, which carry the previous clip: see fitEncoding).
  assert.ok(m <= 0.05, `mean FDP ${m} (per fit ${all.map((x) => x.toFixed(3)).join(', ')})`);
});

test('encodeSubject(simulated dataset): the block null is at least as strict as the Gaussian null in noise ROIs', () => {
  const gauss = fits.filter((f) => f.nullKind === 'gaussian');
  const block = blockFits().slice(0, gauss.length);
  assert.equal(gauss.length, GAUSSIAN_BRAINS * KINDS.length);
  console.log(`false discoveries in noise ROIs, block / Gaussian: ${block.map((b, i) => `${b.inNoiseRois}/${gauss[i]!.inNoiseRois}`).join(', ')}`);
  console.log(`mean FDP (noise ROIs) over the first ${GAUSSIAN_BRAINS} brains: block ${mean(block.map(fdp)).toFixed(3)}, Gaussian ${mean(gauss.map(fdp)).toFixed(3)}`);
  block.forEach((b, i) => {
    const g = gauss[i]!;
    assert.equal(`${g.subject} ${g.kind}`, `${b.subject} ${b.kind}`);
    assert.ok(b.inNoiseRois <= g.inNoiseRois, `${b.subject} ${b.kind}: ${b.inNoiseRois} false discoveries with the block null, ${g.inNoiseRois} with the Gaussian`);
    assert.ok(fdp(b) <= fdp(g), `${b.subject} ${b.kind}: FDP ${fdp(b)} (block) vs ${fdp(g)} (Gaussian)`);
  });
  // The simulated noise is autocorrelated (AR(1), physiological sources, drift), which the
  // Gaussian null ignores: it must show (measured 0.32), else this comparison tests nothing.
  assert.ok(mean(gauss.map(fdp)) >= 0.15, `Gaussian null mean FDP ${mean(gauss.map(fdp))}`);
});
